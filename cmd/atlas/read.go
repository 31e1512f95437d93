package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/atlas-oss/atlas/internal/config"
	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/engine"
	"github.com/atlas-oss/atlas/internal/eval"
)

// errFilesFailed says atlas extract could not read some of its files; the
// process then exits 1 (2 is for usage errors).
var errFilesFailed = errors.New("some files could not be read")

// engineFlags registers the flags that configure the reading engine.
func engineFlags(fs *flag.FlagSet) *engine.Config {
	cfg := &engine.Config{}
	d := config.Defaults()
	fs.StringVar(&cfg.OCR.Languages, "ocr-languages", d.OCRLanguages, "Tesseract languages, joined by + (e.g. eng+hin)")
	fs.DurationVar(&cfg.OCR.PageTimeout, "ocr-page-timeout", d.OCRPageTimeout, "longest OCR of one page may take")
	return cfg
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	return config.ApplyEnv(fs, os.Getenv)
}

// extractResult is what atlas extract prints for one file: the file_data
// the API would return, or the error.
type extractResult struct {
	File     string             `json:"file"`
	FileData *document.FileData `json:"file_data,omitempty"`
	Error    *resultError       `json:"error,omitempty"`
	Pages    []pageWords        `json:"pages,omitempty"`
}

type resultError struct {
	Code    document.ErrorCode `json:"code"`
	Message string             `json:"message"`
}

type pageWords struct {
	Number   int        `json:"number"`
	Width    int        `json:"width"`
	Height   int        `json:"height"`
	Source   string     `json:"source"`
	Rotation int        `json:"rotation"`
	Words    []wordJSON `json:"words"`
}

type wordJSON struct {
	Text string  `json:"text"`
	Conf float64 `json:"confidence"`
	Box  [4]int  `json:"box"` // x0, y0, x1, y1 in page pixels
}

func toPageWords(pages []document.Page) []pageWords {
	out := make([]pageWords, 0, len(pages))
	for _, p := range pages {
		pw := pageWords{Number: p.Number, Width: p.Width, Height: p.Height, Source: p.Source, Rotation: p.Rotation, Words: []wordJSON{}}
		for _, w := range p.Words {
			pw.Words = append(pw.Words, wordJSON{Text: w.Text, Conf: w.Conf, Box: box(w.Box)})
		}
		out = append(out, pw)
	}
	return out
}

func box(r image.Rectangle) [4]int { return [4]int{r.Min.X, r.Min.Y, r.Max.X, r.Max.Y} }

const extractUsage = "usage: atlas extract [--words] [--ocr-languages L] FILE... (flags before files)"

// extractFiles reads each file and prints one JSON object per file. It
// returns errFilesFailed when any file failed.
func extractFiles(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("atlas extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	words := fs.Bool("words", false, "also print each page's words with their boxes and confidences")
	cfg := engineFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New(extractUsage)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	eng, err := engine.New(*cfg)
	if err != nil {
		return err
	}
	defer eng.Close()

	enc := json.NewEncoder(stdout)
	failed := 0
	for _, name := range fs.Args() {
		res := extractResult{File: name}
		data, err := os.ReadFile(name)
		var pages []document.Page
		if err == nil {
			res.FileData, pages, err = eng.Read(ctx, data)
		} else {
			err = &document.Error{Code: document.CodeFetchFailed, Message: "cannot read the file: " + pathReason(err), Err: err}
		}
		if ctx.Err() != nil {
			return fmt.Errorf("extract: %w", context.Cause(ctx))
		}
		if err != nil {
			failed++
			var de *document.Error
			if !errors.As(err, &de) {
				// atlas's own failure: say so, keep the cause for the
				// operator (no document contents in it).
				fmt.Fprintf(stderr, "atlas: %s: %v\n", name, err)
				de = document.Errorf(document.CodeInternal, "atlas failed to read the document")
			}
			res.Error = &resultError{Code: de.Code, Message: de.Message}
		}
		if *words {
			res.Pages = toPageWords(pages)
		}
		if err := enc.Encode(res); err != nil {
			return fmt.Errorf("write result: %w", err)
		}
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "atlas: %d of %d files could not be read\n", failed, fs.NArg())
		return errFilesFailed
	}
	return nil
}

// evalCmd measures reading accuracy on a generated or given corpus.
func evalCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("atlas eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 20, "documents per type and condition (generated corpus)")
	seed := fs.Int64("seed", 1, "seed of the first generated document; document i uses seed+i")
	types := fs.String("types", "", "comma-separated document types (default: every type docgen renders)")
	conds := fs.String("conditions", "clean,scan,photo,rotated", "comma-separated capture conditions")
	dir := fs.String("dir", "", "read the corpus from DIR (images with NAME.json ground truth, as docgen writes) instead of generating it")
	jsonOut := fs.Bool("json", false, "print the report as JSON")
	workers := fs.Int("workers", 1, "documents read at once, one OCR engine each (one per core is fastest)")
	cfg := engineFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *n < 1 || *workers < 1 {
		return errors.New("usage: atlas eval [--n 20] [--workers 1] [--seed 1] [--types PAN,AADHAAR] [--conditions clean,scan,photo,rotated] [--dir DIR] [--json]")
	}
	typeList := docgen.AllTypes
	if *types != "" {
		typeList = nil
		for _, t := range splitList(*types) {
			typeList = append(typeList, document.Type(strings.ToUpper(t)))
		}
	}
	var condList []docgen.Condition
	for _, c := range splitList(*conds) {
		condList = append(condList, docgen.Condition(strings.ToLower(c)))
	}
	samples := eval.Generated(*n, *seed, typeList, condList)
	if *dir != "" {
		// Filter a given corpus only by what was asked for explicitly.
		var tl []document.Type
		if *types != "" {
			tl = typeList
		}
		samples = eval.FromDir(*dir, tl, condList)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	cfg.Workers = *workers
	eng, err := engine.New(*cfg)
	if err != nil {
		return err
	}
	defer eng.Close()
	start := time.Now()
	scores, err := eval.RunParallel(ctx, eng, samples, *workers)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	rep := eval.Summarise(scores)
	if *jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprint(stdout, rep.Table())
	fmt.Fprintf(stdout, "\n%d documents in %s (docs/s counts reading time only, per OCR engine; precision and n at confidence >= %.1f)\n",
		rep.Total.Documents, time.Since(start).Round(time.Second), eval.ConfidentAt)
	return nil
}

// pathReason is why a file could not be read, without its path (the
// result already names the file).
func pathReason(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
