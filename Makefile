# KrShell: build, run and test krsh. `make run` and `make test` install what is missing first.

SWIFT ?= swift
KRSH_RELEASE := .build/release/krsh
DEMO := examples/demo.ps1

.PHONY: build run test conformance deps docs completions

## build: release build of krsh (.build/release/krsh)
build: deps
	$(SWIFT) build -c release

## run: set up, build, then open the shell (on the bundled demo when there is one)
run: build
	@if [ -f "$(DEMO)" ]; then \
		exec "$(KRSH_RELEASE)" --no-exit "$(DEMO)"; \
	else \
		exec "$(KRSH_RELEASE)"; \
	fi

## test: set up, build, run every test. The run is bounded (TEST_TIMEOUT seconds): a test that hangs
## fails the target with a message instead of holding CI until its own limit.
TEST_TIMEOUT ?= 1800
test: deps
	$(SWIFT) build
	@timeout --kill-after=30 $(TEST_TIMEOUT) $(SWIFT) test --no-parallel; status=$$?; \
	if [ $$status -eq 124 ] || [ $$status -eq 137 ]; then \
		echo "make test: the tests did not finish within $(TEST_TIMEOUT) s (a hang); the last test started above is the one to look at" >&2; \
	fi; \
	exit $$status

## conformance: release build, then the language conformance corpus through the reference runner
conformance: build
	python3 Tests/conformance/run.py --krsh "$(KRSH_RELEASE)"

## deps: install what the build and the tests need when missing: libedit-dev (line editing),
## pkg-config, and tmux (the console tests drive krsh in tmux)
deps:
	@packages=""; \
	pkg-config --exists libedit 2>/dev/null || packages="libedit-dev"; \
	command -v pkg-config >/dev/null 2>&1 || packages="$$packages pkg-config"; \
	command -v tmux >/dev/null 2>&1 || packages="$$packages tmux"; \
	if [ -z "$$packages" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "make deps: missing$$packages and apt-get is not available; install them" >&2; \
		exit 1; \
	fi; \
	if [ "$$(id -u)" -eq 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	else echo "make deps: missing$$packages; run as root: apt-get install -y$$packages" >&2; exit 1; \
	fi; \
	echo "make deps: installing$$packages"; \
	$$sudo apt-get update && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y $$packages

KRSH_DEBUG := .build/debug/krsh

## docs: regenerate the cmdlet reference (docs/reference, one page per cmdlet) from the cmdlet metadata
docs:
	$(SWIFT) build --product krsh
	$(KRSH_DEBUG) --generate-reference docs/reference

## completions: regenerate completions/ (bash, zsh, fish) from krsh's own option declarations
completions:
	$(SWIFT) build --product krsh
	@mkdir -p completions
	$(KRSH_DEBUG) --generate-completion-script bash > completions/krsh.bash
	$(KRSH_DEBUG) --generate-completion-script zsh > completions/_krsh
	$(KRSH_DEBUG) --generate-completion-script fish > completions/krsh.fish
