from flask import Flask

from flask_status_envelope import StatusEnvelope

app = Flask(__name__)
app.config["STATUS_ENVELOPE_MESSAGES"] = {404: "Nothing lives at this address."}
StatusEnvelope(app)
