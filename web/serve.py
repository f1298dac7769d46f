"""Running the console under uvicorn (the CLI's `hq serve` calls this, deferred, as it starts the GUI)."""

from __future__ import annotations

from pathlib import Path

import uvicorn

from web.app import create_app


def run(db_url: str, host: str, port: int, tls_cert: Path | None, tls_key: Path | None) -> None:
    """Serve until interrupted; cookies are marked Secure when TLS is on."""
    app = create_app(db_url, secure_cookies=tls_cert is not None)
    uvicorn.run(app, host=host, port=port, ssl_certfile=tls_cert, ssl_keyfile=tls_key, log_level="info",
                server_header=False)
