"""``flask status-envelope``: switch maintenance and retired endpoints from a shell.

.. code-block:: console

    $ flask --app myapp status-envelope maintenance on --retry-after 600
    $ flask --app myapp status-envelope maintenance off
    $ flask --app myapp status-envelope retire api.report
    $ flask --app myapp status-envelope restore api.report
    $ flask --app myapp status-envelope status

With :data:`STATUS_ENVELOPE_SWITCHES_URL` the commands write Redis, and every
process that reads it follows within :data:`STATUS_ENVELOPE_SWITCHES_TTL`. Without
it, ``maintenance on|off`` creates or removes
:data:`STATUS_ENVELOPE_MAINTENANCE_FILE` (whose 503 carries
:data:`STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER`, so ``--retry-after`` is refused
there), and ``retire``/``restore`` need Redis.

The core calls :func:`init_cli` from ``init_app``: the group is added to the app's
own ``app.cli``, so it exists only for apps that have the extension and always
reads that app's configuration (a ``flask.commands`` entry point would add it to
every app in the environment).
"""

from __future__ import annotations

import difflib
import os
import typing as t

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .switches import CLI_TIMEOUT, Switches, SwitchStore, check_config, safe_url

cli = AppGroup("status-envelope", help="Fleet switches of flask-status-envelope.")


def init_cli(app: Flask) -> None:
    """Add the ``status-envelope`` command group to ``app.cli``."""
    app.cli.add_command(cli)


@cli.group("maintenance")
def maintenance() -> None:
    """Switch maintenance mode (503 for every request that is not exempt)."""


@maintenance.command("on")
@click.option(
    "--retry-after",
    type=click.IntRange(min=0),
    default=None,
    metavar="SECONDS",
    help="The Retry-After of the 503 (Redis only). Default:"
    " STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER.",
)
def maintenance_on(retry_after: int | None) -> None:
    """Switch maintenance on."""
    store = _store()
    config = current_app.config
    if store is not None:
        _call(store, store.set_maintenance, retry_after)
        shown = (
            config["STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER"]
            if retry_after is None
            else retry_after
        )
        click.echo(
            f"Maintenance is on (Retry-After {shown}) for every process that reads"
            f" {safe_url(store.url)}, within {_ttl()} s."
        )
        return
    path = _maintenance_file("maintenance on")
    if retry_after is not None:
        raise click.UsageError(
            "--retry-after needs STATUS_ENVELOPE_SWITCHES_URL. The maintenance file"
            " only switches; its 503 carries STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER"
            f" ({config['STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER']})."
        )
    try:
        with open(path, "a"):
            pass
    except OSError as e:
        raise click.ClickException(
            f"Cannot create the maintenance file {str(path)!r}: {e.strerror}."
        ) from None
    click.echo(f"Maintenance is on: {str(path)!r} exists.")


@maintenance.command("off")
def maintenance_off() -> None:
    """Switch maintenance off."""
    store = _store()
    if store is not None:
        _call(store, store.clear_maintenance)
        click.echo(
            f"Maintenance is off for every process that reads {safe_url(store.url)},"
            f" within {_ttl()} s."
        )
    else:
        path = _maintenance_file("maintenance off")
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
        except OSError as e:
            raise click.ClickException(
                f"Cannot remove the maintenance file {str(path)!r}: {e.strerror}."
            ) from None
        click.echo(f"Maintenance is off: {str(path)!r} does not exist.")
    if current_app.config.get("STATUS_ENVELOPE_MAINTENANCE") is True:
        click.echo(
            "Note: STATUS_ENVELOPE_MAINTENANCE is True in the configuration, so"
            " maintenance stays on until it is changed and the app restarted."
        )


@maintenance.command("status")
def maintenance_status() -> None:
    """Show whether maintenance is on."""
    click.echo(_maintenance_line(_read()))


@cli.command("retire")
@click.argument("endpoint")
def retire(endpoint: str) -> None:
    """Answer 410 Gone for ENDPOINT on every process, now."""
    store = _redis_only("retire")
    _check_endpoint(endpoint, store, restoring=False)
    _call(store, store.retire, endpoint)
    click.echo(
        f"{endpoint!r} answers 410 on every process that reads"
        f" {safe_url(store.url)}, within {_ttl()} s."
    )


@cli.command("restore")
@click.argument("endpoint")
def restore(endpoint: str) -> None:
    """Serve ENDPOINT again after retire."""
    store = _redis_only("restore")
    _check_endpoint(endpoint, store, restoring=True)
    _call(store, store.restore, endpoint)
    click.echo(
        f"{endpoint!r} is served again by every process that reads"
        f" {safe_url(store.url)}, within {_ttl()} s."
    )


@cli.command("status")
def status() -> None:
    """Show maintenance and the retired endpoints."""
    switches = _read()
    click.echo(_maintenance_line(switches))
    if _store() is None:
        click.echo("retired: - (needs STATUS_ENVELOPE_SWITCHES_URL)")
    else:
        click.echo("retired: " + (", ".join(sorted(switches.retired)) or "none"))


def _store() -> SwitchStore | None:
    url, _ttl_value, _fail, prefix = check_config(_config())
    if url is None:
        return None
    try:
        return SwitchStore(url, prefix, timeout=CLI_TIMEOUT)
    except (ValueError, RuntimeError) as e:
        raise click.ClickException(str(e)) from None


def _config() -> t.Mapping[str, t.Any]:
    config = current_app.config
    if "STATUS_ENVELOPE_SWITCHES_URL" not in config:
        raise click.ClickException(
            f"The app {current_app.name!r} has no StatusEnvelope. Call"
            " StatusEnvelope(app) or status_envelope.init_app(app) when you create it."
        )
    return config


def _ttl() -> str:
    return f"{current_app.config['STATUS_ENVELOPE_SWITCHES_TTL']:g}"


def _redis_only(command: str) -> SwitchStore:
    store = _store()
    if store is None:
        raise click.ClickException(
            f"{command} needs STATUS_ENVELOPE_SWITCHES_URL (a Redis that every process"
            " reads), e.g. 'redis://127.0.0.1:6379/0'. Without it, endpoints are"
            " retired in code with @deprecated."
        )
    return store


def _maintenance_file(command: str) -> str | os.PathLike[str]:
    path = current_app.config.get("STATUS_ENVELOPE_MAINTENANCE_FILE")
    if path is None:
        raise click.ClickException(
            f"{command} needs STATUS_ENVELOPE_SWITCHES_URL (a Redis that every"
            " process reads) or STATUS_ENVELOPE_MAINTENANCE_FILE (a file every process"
            " can see); neither is set."
        )
    return t.cast("str | os.PathLike[str]", path)


def _read() -> Switches:
    store = _store()
    if store is not None:
        return _call(store, store.read)
    path = current_app.config.get("STATUS_ENVELOPE_MAINTENANCE_FILE")
    on = path is not None and os.path.exists(path)
    return Switches(maintenance=on)


def _maintenance_line(switches: Switches) -> str:
    config = current_app.config
    store = _store()
    if store is not None:
        source = f"Redis {safe_url(store.url)}, key {store.maintenance_key!r}"
    elif config.get("STATUS_ENVELOPE_MAINTENANCE_FILE") is not None:
        source = f"file {str(config['STATUS_ENVELOPE_MAINTENANCE_FILE'])!r}"
    else:
        source = "no switch configured"
    on = switches.maintenance or config.get("STATUS_ENVELOPE_MAINTENANCE") is True
    if not on:
        return f"maintenance: off ({source})"
    retry_after = switches.retry_after
    if retry_after is None:
        retry_after = config["STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER"]
    return f"maintenance: on, Retry-After {retry_after} ({source})"


def _check_endpoint(endpoint: str, store: SwitchStore, *, restoring: bool) -> None:
    endpoints = sorted(current_app.view_functions)
    if endpoint in current_app.view_functions:
        return
    if restoring and endpoint in _call(store, store.read).retired:
        return  # an endpoint retired before a deploy removed it: let it be cleaned up
    close = difflib.get_close_matches(endpoint, endpoints, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise click.UsageError(
        f"{endpoint!r} is not an endpoint of the app {current_app.name!r}.{hint}"
        f" Its endpoints: {', '.join(endpoints)}."
    )


_T = t.TypeVar("_T")


def _call(store: SwitchStore, function: t.Callable[..., _T], *args: t.Any) -> _T:
    try:
        return function(*args)
    except store.errors as e:
        raise click.ClickException(
            f"Cannot reach Redis at {safe_url(store.url)} ({type(e).__name__}: {e})."
            " Nothing was changed."
        ) from None


__all__ = ["cli", "init_cli"]
