// Command ferretdb-launcher runs FerretDB v1 (SQLite backend) embedded as a library.
//
// A plain `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` builds a binary that panics at
// start (its generated build/version/version.txt is not part of the module, FerretDB#2982). The
// embeddable package has no such requirement, so Paperwire builds this tiny launcher instead.
//
// It prints one line, `READY <mongodb uri>`, on stdout once the listener is up, and stops on SIGINT/SIGTERM.
// With --parent-watch it also stops when its stdin reaches EOF: the parent keeps a pipe open to it, and
// the kernel closes that pipe when the parent dies for any reason (kill -9 included), so no launcher
// outlives the process that started it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	dataDir := flag.String("sqlite-dir", "", "directory for the SQLite databases (required)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	parentWatch := flag.Bool("parent-watch", false, "exit when stdin reaches EOF (the parent closed it or died)")
	flag.Parse()

	if *dataDir == "" {
		fmt.Fprintln(os.Stderr, "ferretdb-launcher: --sqlite-dir is required")
		os.Exit(2)
	}
	if err := os.MkdirAll(*dataDir, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-launcher: cannot create %s: %v\n", *dataDir, err)
		os.Exit(1)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-launcher: bad --log-level %q\n", *logLevel)
		os.Exit(2)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// Telemetry: the embeddable package never starts a reporter and marks telemetry disabled itself.
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		// WAL (FerretDB's default) with synchronous=NORMAL: a commit is not fsynced, so a power loss may lose
		// the last transactions, but a killed process loses nothing (the WAL is in the OS's page cache), and
		// every write stops paying an fsync.
		SQLiteURL: "file:" + *dataDir + "/?_pragma=synchronous(normal)",
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-launcher: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if *parentWatch {
		go watchParent(stop)
	}

	// MongoDBURI blocks until the listener is bound, so it must run beside Run.
	go func() { fmt.Printf("READY %s\n", f.MongoDBURI()) }()

	if err := f.Run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-launcher: %v\n", err)
		os.Exit(1)
	}
}

// watchParent blocks until stdin reaches EOF (or fails), then stops the server gracefully; if the graceful
// stop hangs, it exits hard so an orphaned launcher never lingers.
func watchParent(stop context.CancelFunc) {
	_, _ = io.Copy(io.Discard, os.Stdin)
	fmt.Fprintln(os.Stderr, "ferretdb-launcher: stdin closed (parent gone), stopping")
	stop()
	time.Sleep(5 * time.Second)
	os.Exit(1)
}
