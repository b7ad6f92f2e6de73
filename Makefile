# nianbao — two commands do all set-up on a fresh machine: `make run` and `make test`.

SWIFT      ?= swift
CONFIG     ?= pipeline.json
SUDO       := $(shell [ "$$(id -u)" = "0" ] || command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != "0" ] && echo sudo)
APT_PACKAGES := libxml2-dev libsqlite3-dev libssl-dev libcurl4-openssl-dev zlib1g-dev pkg-config poppler-utils sqlite3 libreoffice-writer-nogui \
                tesseract-ocr tesseract-ocr-chi-sim netpbm fonts-noto-cjk

.PHONY: run test deps test-deps build release score bench bench-ocr fuzz sanitize clean

## run: install what is missing, build (release), run pipeline.json over samples/ into out/nianbao.sqlite
run: deps release
	.build/release/nianbao run --config $(CONFIG)

## test: install what is missing, build (debug), run unit and end-to-end tests
test: deps test-deps
	$(SWIFT) build
	$(SWIFT) test --disable-swift-testing

## deps: install what is missing (Debian/Ubuntu): the C libraries' -dev packages (libxml2, SQLite, libcrypto, libcurl, zlib), poppler
## (pdftotext, pdftoppm), LibreOffice (Word 97–2003, WPS, RTF), Tesseract with its Chinese model and netpbm (scans), CJK fonts
deps:
	@missing=""; \
	pkg-config --exists libxml-2.0 2>/dev/null || missing="$$missing libxml2-dev"; \
	pkg-config --exists sqlite3 2>/dev/null || missing="$$missing libsqlite3-dev"; \
	pkg-config --exists libcrypto 2>/dev/null || missing="$$missing libssl-dev"; \
	pkg-config --exists libcurl 2>/dev/null || missing="$$missing libcurl4-openssl-dev"; \
	pkg-config --exists zlib 2>/dev/null || missing="$$missing zlib1g-dev"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	command -v tesseract >/dev/null 2>&1 || missing="$$missing tesseract-ocr"; \
	ls /usr/share/tesseract-ocr/*/tessdata/chi_sim.traineddata >/dev/null 2>&1 || missing="$$missing tesseract-ocr-chi-sim"; \
	command -v anytopnm >/dev/null 2>&1 || missing="$$missing netpbm"; \
	[ -d /usr/share/fonts/opentype/noto ] || fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	command -v sqlite3 >/dev/null 2>&1 || missing="$$missing sqlite3"; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "installing:$$missing"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "please install:$$missing (no apt-get here)"; exit 1; \
	  fi; \
	fi

## test-deps: what only the tests need: Chromium, to render the HTML report with its Chinese text (headless)
test-deps:
	@if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "installing: chromium"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else \
	    echo "please install: chromium (no apt-get here)"; exit 1; \
	  fi; \
	fi

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

## bench: parse-only floor vs full pipeline vs a pandas reference, the median of ROUNDS (3) rounds run in turn (release build;
## not part of make test)
bench: deps release
	N=$${N:-5000} BIG=$${BIG:-20000} WORKERS=$${WORKERS:-2} bench/run.sh

## bench-ocr: scans of composed reports (300 dpi, 150 dpi, 300 dpi skewed and noisy) read by OCR: exact, abstained
## and wrong cells and seconds per page (bench/ocr.sh; OCR_DOCS reports, default 6; not part of make test)
bench-ocr: deps test-deps release
	OCR_DOCS=$${OCR_DOCS:-6} bench/ocr.sh

## fuzz: libFuzzer over each stage on its own (cell, label, split, decode, html, text, image) and the whole pipeline,
## FUZZ_SECONDS each; prints executions, rate and crashes per target (bench/fuzz.sh)
FUZZ_SECONDS ?= 120
fuzz: deps
	$(SWIFT) build --product NianbaoFuzz --scratch-path .build-fuzz -c release -Xswiftc -sanitize=fuzzer -Xswiftc -DNIANBAO_FUZZ
	FUZZ_SECONDS=$(FUZZ_SECONDS) bench/fuzz.sh

## sanitize: the tests once under AddressSanitizer and once under ThreadSanitizer
sanitize: deps
	$(SWIFT) build --build-tests --scratch-path .build-asan --sanitize=address
	LSAN_OPTIONS=suppressions=$(CURDIR)/bench/lsan.supp $(SWIFT) test --skip-build --scratch-path .build-asan --sanitize=address --disable-swift-testing
	$(SWIFT) build --build-tests --scratch-path .build-tsan --sanitize=thread
	$(SWIFT) test --skip-build --scratch-path .build-tsan --sanitize=thread --disable-swift-testing

## score: accuracy over the real corpus beside the project (../shared/corpus/real)
score: build
	.build/debug/nianbao score ../shared/corpus/real

clean:
	rm -rf .build out
