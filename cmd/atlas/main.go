// Command atlas reads Indian lending documents and serves their fields
// through the Atlas API.
//
//	atlas serve [flags]          run the API and the workers
//	atlas clients add NAME       create an API client (prints id and secret once)
//	atlas migrate [up|down]      apply or revert the database migrations
//	atlas extract [--words] FILE...  read documents offline, print their fields as JSON
//	atlas eval [--n 20] [...]    measure reading accuracy on a generated corpus
//	atlas version                print the version
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/atlas-oss/atlas/internal/app"
	"github.com/atlas-oss/atlas/internal/auth"
	"github.com/atlas-oss/atlas/internal/config"
	"github.com/atlas-oss/atlas/internal/store"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		// 1: some documents failed (printed with the results); 2: usage
		// or local trouble; 3: the server could not be reached or refused.
		code := exitCode(err)
		if code != 1 && !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "atlas:", err)
		}
		os.Exit(code)
	}
}

const usage = `usage: atlas <command> [flags]

commands:
  serve              run the API and the workers (atlas serve -h for flags)
  clients add NAME   create an API client; prints its id and secret once (--json for scripts)
  migrate [up|down]  apply (default) or revert the database migrations
  extract [--words] FILE...  read documents offline; print one JSON object per file
  eval [--n 20] [--types PAN,AADHAAR] [--dir DIR] [--json]  measure reading accuracy on a generated corpus
  version            print the version
  batch submit|wait|results  submit documents to an atlas server, follow them, print results (atlas batch help)
  flow submit|wait|results   the same for one loan application's flow (atlas flow help)
`

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "serve":
		return serve(args[1:], stdout)
	case "clients":
		return clients(args[1:], stdout)
	case "migrate":
		return migrate(args[1:], stdout)
	case "extract":
		return extractFiles(args[1:], stdout, stderr)
	case "eval":
		return evalCmd(args[1:], stdout, stderr)
	case "flow":
		return flowCmd(args[1:], stdout, stderr)
	case "batch":
		return batchCmd(args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "atlas", app.Version)
		return nil
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

func serve(args []string, stdout io.Writer) error {
	cfg, err := config.Parse("atlas serve", args)
	if err != nil {
		return err
	}
	log := newLogger(cfg)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	printBanner(stdout, cfg, a.Addr())
	return a.Run(ctx)
}

func newLogger(cfg *config.Config) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// openStore opens the configured database for the admin commands.
func openStore(fs *flag.FlagSet, args []string) (app.Admin, error) {
	var cfg config.Config
	fs.StringVar(&cfg.DataDir, "data-dir", config.Defaults().DataDir, "data directory")
	fs.StringVar(&cfg.DatabaseURL, "database-url", "", "database URL: postgres://... or empty for SQLite in the data directory")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if err := config.ApplyEnv(fs, os.Getenv); err != nil {
		return nil, err
	}
	return app.OpenAdmin(context.Background(), &cfg)
}

func clients(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: atlas clients add [--json] [--aadhaar-last4] [--data-dir DIR] NAME")
	}
	fs := flag.NewFlagSet("atlas clients add", flag.ContinueOnError)
	jsonOut := fs.Bool("json", false, "print the credentials as JSON")
	last4 := fs.Bool("aadhaar-last4", false, "return only the last four digits of Aadhaar numbers to this client")
	st, err := openStore(fs, args[1:])
	if err != nil {
		return err
	}
	defer st.Close()
	if fs.NArg() != 1 || fs.Arg(0) == "" {
		return errors.New("usage: atlas clients add NAME [--json] [--data-dir DIR] (flags before NAME)")
	}
	id, secret := auth.NewCredentials()
	if err := st.CreateClient(context.Background(), store.Client{ID: id, Name: fs.Arg(0), SecretHash: auth.HashSecret(secret), AadhaarLast4Only: *last4}); err != nil {
		return err
	}
	if *jsonOut {
		return json.NewEncoder(stdout).Encode(map[string]string{"name": fs.Arg(0), "client_id": id, "client_secret": secret})
	}
	fmt.Fprintf(stdout, "client %q created\nClient-Id:     %s\nClient-Secret: %s\nThe secret is shown only now; atlas keeps only its hash.\n", fs.Arg(0), id, secret)
	return nil
}

func migrate(args []string, stdout io.Writer) error {
	dir := "up"
	if len(args) > 0 && (args[0] == "up" || args[0] == "down") {
		dir, args = args[0], args[1:]
	}
	st, err := openStore(flag.NewFlagSet("atlas migrate", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	defer st.Close()
	if dir == "down" {
		if err := st.MigrateDown(context.Background()); err != nil {
			return err
		}
	}
	fmt.Fprintln(stdout, "migrations:", dir)
	return nil
}

func printBanner(w io.Writer, cfg *config.Config, addr string) {
	base := "http://" + addr
	where := "data in " + cfg.DataDir
	if cfg.UsesPostgres() {
		where = "state in PostgreSQL" // never the URL: it may hold a password
	}
	fmt.Fprintf(w, "atlas %s listening on %s as %s (%s)\n", app.Version, base, cfg.Role, where)
	if cfg.Role == config.RoleWorker {
		return // no API here
	}
	if cfg.DevClient == "" {
		fmt.Fprintln(w, "Create a client with: atlas clients add NAME")
		return
	}
	id, secret, _ := strings.Cut(cfg.DevClient, ":")
	fmt.Fprintf(w, "development client: Client-Id %s, Client-Secret %s\n", id, secret)
	if !cfg.Dev {
		return
	}
	fmt.Fprintf(w, `
Try it (copy and paste):

  TOKEN=$(curl -s -X POST %[1]s/v1/bulk/authtoken -H 'Client-Id: %[2]s' -H 'Client-Secret: %[3]s' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  BATCH=$(curl -s -X POST %[1]s/v1/bulk/multiupload -H "Token: $TOKEN" -H 'Content-Type: application/json' \
    -d '{"product_type":"PFL_CDL","file_urls":[{"file_url":"%[1]s/dev/samples/pan.png","document_id":"1"},{"file_url":"%[1]s/dev/samples/aadhaar.png","document_id":"2"},{"file_url":"%[1]s/dev/samples/pan-photo.jpg","document_id":"3"}]}' \
    | sed 's/.*"batch_id":"\([^"]*\)".*/\1/')
  sleep 5
  curl -s "%[1]s/v1/bulk/extracts?batch_id=$BATCH&page=1&per_page=50" -H "Token: $TOKEN"

`, base, id, secret)
}
