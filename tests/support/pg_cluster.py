"""A private, short-lived PostgreSQL cluster that only accepts TLS logins with SCRAM passwords.

The shared test server trusts every local login, so nothing run against it can show that a till's
enrolled password is what lets it in, or that `sslmode`/`sslrootcert` reach libpq. This cluster is
made from the machine's own server binaries in a temporary folder, with a certificate authority
created for the run, and is stopped and removed afterwards even when a test fails.

initdb and the server refuse to run as root, so as root they run as the `postgres` OS user,
which then owns the folder.
"""

from __future__ import annotations

import glob
import ipaddress
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SUPERUSER = "postgres"
SERVER_OS_USER = "postgres"  # who runs initdb and the server when the tests run as root
BINARIES = ("initdb", "pg_ctl", "postgres")
START_ATTEMPTS = 3  # a free port can be taken by someone else between choosing and binding it


class ClusterUnavailable(RuntimeError):
    """No server binaries (or no OS user to run them as) on this machine."""


@dataclass(frozen=True)
class Authority:
    """A certificate authority: its key signs server certificates, its certificate is what clients trust."""

    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


@dataclass(frozen=True)
class PgCluster:
    root: Path
    port: int
    password: str  # the superuser's
    ca_file: Path  # the root certificate a client must trust to verify the server
    log_file: Path
    host: str = "127.0.0.1"

    def url(self, dbname: str = "postgres") -> str:
        """Superuser URL that verifies the server certificate (the only way in)."""
        query = urlencode({"sslmode": "verify-full", "sslrootcert": str(self.ca_file)})
        return f"postgresql://{SUPERUSER}:{quote(self.password, safe='')}@{self.host}:{self.port}/{dbname}?{query}"

    def admin(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(self.url(dbname), autocommit=True, connect_timeout=10)

    def log_text(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace")


def make_authority(name: str) -> Authority:
    """A self-signed CA valid around now; P-256 keys are quick to make."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1)).not_valid_after(now + timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Authority(key, cert)


def server_certificate(ca: Authority) -> tuple[bytes, bytes]:
    """(certificate PEM, key PEM) for a server reached as 127.0.0.1 or localhost."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca.cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1)).not_valid_after(now + timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def server_bindir() -> Path:
    """The folder holding initdb, pg_ctl and postgres, or ClusterUnavailable saying why not."""
    candidates: list[str] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with suppress(OSError, subprocess.CalledProcessError):
            candidates.append(subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,
                                             check=True).stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)  # newest major first
    for folder in candidates:
        if folder and all(os.access(Path(folder) / b, os.X_OK) for b in BINARIES):
            if os.geteuid() == 0:
                try:
                    pwd.getpwnam(SERVER_OS_USER)
                except KeyError:
                    raise ClusterUnavailable(f"running as root and there is no {SERVER_OS_USER!r} OS user "
                                             "to run the server as") from None
            return Path(folder)
    raise ClusterUnavailable("no PostgreSQL server binaries (initdb, pg_ctl, postgres) found via pg_config "
                             "--bindir or /usr/lib/postgresql/*/bin")


def _as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_OS_USER, "--", *argv] if os.geteuid() == 0 else argv


def _run(argv: list[str], cwd: Path) -> None:
    done = subprocess.run(_as_server_user(argv), cwd=cwd, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(argv[0]).name} failed ({done.returncode}): {done.stderr.strip() or done.stdout}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _write(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, mode)


def _give_to_server_user(root: Path) -> None:
    if os.geteuid() != 0:
        return
    user = pwd.getpwnam(SERVER_OS_USER)
    for folder, dirs, files in os.walk(root):
        for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
            os.chown(name, user.pw_uid, user.pw_gid)


def _config(root: Path, port: int, settings: dict[str, str]) -> str:
    base = {
        "listen_addresses": "127.0.0.1", "port": str(port), "unix_socket_directories": str(root),
        "password_encryption": "scram-sha-256", "ssl": "on",
        "ssl_cert_file": str(root / "server.crt"), "ssl_key_file": str(root / "server.key"),
        "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
        "max_connections": "40", "shared_buffers": "16MB",
    }
    base.update(settings)
    return "\n# tests/support/pg_cluster.py\n" + "".join(
        f"{k} = '{v}'\n" for k, v in base.items())


def _stop(bindir: Path, root: Path) -> None:
    data = root / "data"
    if not (data / "postmaster.pid").exists():
        return
    try:
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "-t", "30", "stop"], root)
    except (RuntimeError, subprocess.TimeoutExpired):
        with suppress(OSError, ValueError, IndexError):  # the server we started did not stop: end it by its pid
            os.kill(int((data / "postmaster.pid").read_text().split()[0]), signal.SIGKILL)


@contextmanager
def running_cluster(settings: dict[str, str] | None = None) -> Iterator[PgCluster]:
    """Start a private cluster (extra postgresql.conf `settings` allowed); stop and remove it after."""
    bindir = server_bindir()
    root = Path(tempfile.mkdtemp(prefix="tillstone-pg-"))  # not under pytest's tmp: the server user must enter
    try:
        ca = make_authority("Tillstone test CA")
        cert_pem, key_pem = server_certificate(ca)
        password = secrets.token_hex(16)
        _write(root / "ca.crt", ca.cert_pem(), 0o644)
        _write(root / "server.crt", cert_pem, 0o644)
        _write(root / "server.key", key_pem, 0o600)
        _write(root / "pwfile", password.encode() + b"\n", 0o600)
        _give_to_server_user(root)
        _run([str(bindir / "initdb"), "-D", str(root / "data"), "-U", SUPERUSER, f"--pwfile={root / 'pwfile'}",
              "--auth=scram-sha-256", "--no-sync", "--no-instructions", "-E", "UTF8", "--locale=C"], root)
        (root / "pwfile").unlink()
        (root / "data" / "pg_hba.conf").write_text("# TLS with a SCRAM password, from this machine only\n"
                                                   "hostssl all all 127.0.0.1/32 scram-sha-256\n")
        log = root / "server.log"
        for attempt in range(START_ATTEMPTS):
            port = _free_port()
            with open(root / "data" / "postgresql.conf", "a", encoding="utf-8") as conf:
                conf.write(_config(root, port, settings or {}))  # later lines win over earlier attempts'
            _give_to_server_user(root)
            try:
                _run([str(bindir / "pg_ctl"), "-D", str(root / "data"), "-l", str(log), "-w", "-t", "60",
                      "start"], root)
                break
            except RuntimeError:
                _stop(bindir, root)
                if attempt == START_ATTEMPTS - 1:
                    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                    raise RuntimeError(f"the test PostgreSQL server did not start:\n{tail}") from None
        yield PgCluster(root=root, port=port, password=password, ca_file=root / "ca.crt", log_file=log)
    finally:
        _stop(bindir, root)
        shutil.rmtree(root, ignore_errors=True)


def unavailable(reason: str) -> None:
    """Skip loudly, or fail when TILLSTONE_REQUIRE_PG=1 says a server is part of this run."""
    message = f"private PostgreSQL cluster unavailable ({reason}): authentication and TLS tests NOT RUN"
    if os.environ.get("TILLSTONE_REQUIRE_PG") == "1":
        pytest.fail(message)
    warnings.warn(message, stacklevel=2)
    pytest.skip(message)
