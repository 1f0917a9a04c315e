# Gatekey's build. `make run` and `make test` are all a newcomer needs; both
# install the system packages they need first (scripts/install-deps).

GO      ?= go
TAGS    := migrated_fynedo
BIN     := bin/gatekey
# The Windows build the tests run under Wine, made once per `make test`.
WINBIN  := bin/windows
FUZZTIME ?= 3s
FYNE_TOOLS := v1.7.4
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# Measurements that take minutes: run by `make bench`, left out of `make test`.
BENCH_TESTS := ^(TestCorpusBench|TestWindowCost)$$

.PHONY: run build test deps deps-test check bench package package-windows windows-bin clean

## run: install what the window needs, build, and open Gatekey with your own vault
run: deps build
	./$(BIN)

## build: compile bin/gatekey
build:
	$(GO) build -tags $(TAGS) -o $(BIN) .

deps:
	scripts/install-deps

deps-test:
	scripts/install-deps --test --windows

## test: the whole suite on a private display and keychain, then every fuzz target briefly
test: deps-test check windows-bin
	scripts/desktop-session -- $(GO) test -tags $(TAGS) -count=1 -timeout 15m -skip '$(BENCH_TESTS)' $$($(GO) list ./... | grep -v /e2e)
	@# The packages that build without cgo, again under the race detector.
	scripts/desktop-session -- $(GO) test -tags $(TAGS) -race -count=1 ./otp ./transfer ./routerclient ./routersim ./app ./ui
	@# The end-to-end tests drive real windows; they run on their own so that
	@# the other packages' tests do not slow the display they watch.
	@# ...and the Windows build under Wine (e2e/windows_test.go) with them.
	scripts/desktop-session -- env GATEKEY_WINDOWS_BIN=$(CURDIR)/$(WINBIN) \
	  $(GO) test -tags $(TAGS) -count=1 -timeout 15m -skip '$(BENCH_TESTS)' ./e2e/
	scripts/desktop-session -- scripts/fuzz-all $(FUZZTIME)

## check: formatting, go vet, staticcheck and the complexity limit (15, scripts/complexity-exceptions)
check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...
	GOOS=windows CGO_ENABLED=0 $(GO) vet -tags $(TAGS) ./app/ ./qrscan/ ./cli/ ./cmd/... ./vault/
	$(GO) run $(STATICCHECK) -tags $(TAGS) ./...
	scripts/check-complexity 15

## windows-bin: Gatekey.exe, gatekey-cli.exe and the Windows test programs in bin/windows
windows-bin:
	scripts/install-deps --windows
	scripts/build-windows --tests $(WINBIN)

## bench: benchmarks, each beside its reference (zbarimg, a bare Fyne window, the ideal fleet time)
bench: deps-test
	scripts/desktop-session -- env GATEKEY_BENCH=1 $(GO) test -tags $(TAGS) -timeout 60m -v \
	  -run '$(BENCH_TESTS)' -bench . -benchmem ./...

## package: the Linux desktop package (binary, desktop entry from FyneApp.toml, icon) in dist/
# (fyne package bumps Build in FyneApp.toml on every run; the file is put back.)
package:
	mkdir -p dist && cp FyneApp.toml dist/FyneApp.toml.orig
	$(GO) run fyne.io/tools/cmd/fyne@$(FYNE_TOOLS) package --target linux --tags $(TAGS); \
	  status=$$?; mv dist/FyneApp.toml.orig FyneApp.toml; exit $$status
	mv Gatekey.tar.xz dist/

## package-windows: dist/Gatekey-windows-amd64.zip (both programs, README.txt, the licence)
package-windows:
	scripts/install-deps --windows
	scripts/package-windows dist/Gatekey-windows-amd64.zip

clean:
	rm -rf bin dist
