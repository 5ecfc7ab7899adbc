# Set-up and checks. Every target installs what it is missing first, so each works on a fresh Debian machine
# that has only Python: Debian packages through apt-get (as root, or with sudo), Python packages into .venv.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# What the daemon needs at run time: PortAudio for the microphone, X tools for typing and the clipboard,
# the medical word list the embedded engine spells terms from, notify-send to show a page's pairing code.
RUN_DEBS := libportaudio2 libasound2-plugins xclip xdotool x11-utils wtype wl-clipboard hunspell-en-med libnotify-bin
# What the tests add: a virtual screen and microphone, voices to speak test audio, real human speech, and
# the browser web EHRs run in (Playwright drives Debian's Chromium; it downloads no browser of its own).
TEST_DEBS := $(RUN_DEBS) xvfb pulseaudio pulseaudio-utils festival festvox-us-slt-hts festvox-kallpc16k flite espeak-ng \
	pocketsphinx-testdata sox nginx nodejs sway python3-gi gir1.2-gtk-3.0 chromium
WEB := plugins/dictation-web

.PHONY: install run test bench debs-run debs-test npm

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml $(wildcard plugins/*/pyproject.toml) | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[engine,base,desktop,test]'
	# One command, so a plugin's dependency on another (the editor on the client) resolves to the local copy.
	$(BIN)/pip install -q $(addprefix -e ,$(dir $(wildcard plugins/*/pyproject.toml)))
	touch $@

debs-run debs-test: debs-%:
	@missing=$$(for package in $($(shell echo $* | tr a-z A-Z)_DEBS); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'install ok installed' || echo $$package; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# Debian ships npm apart from nodejs; NodeSource's nodejs carries its own (and conflicts with Debian's).
npm: debs-test
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends npm >/dev/null; }

# The web package's demo page (React) and type check (TypeScript), exactly as its lock file pins them.
$(WEB)/node_modules/.package-lock.json: $(WEB)/package-lock.json | npm
	cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error

install: debs-test npm $(VENV)/.installed $(WEB)/node_modules/.package-lock.json

run: debs-run $(VENV)/.installed
	$(BIN)/dictation-daemon run

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python -m benchmarks
