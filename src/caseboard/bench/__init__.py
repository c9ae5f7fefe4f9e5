"""The benchmarks behind `caseboard bench` and `make bench`: one module per benchmark over the
harness (figures beside a floor measured in the same run, BENCH lines, results.jsonl). Nothing
in the product imports this package; the test-only packages (locust) are imported only here."""
