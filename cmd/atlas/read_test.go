package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
)

// TestMainProcess is not a test: runAtlas re-runs the test binary with
// ATLAS_TEST_ARGS set, and this runs main with those arguments, so that
// the real exit status can be checked.
func TestMainProcess(t *testing.T) {
	args := os.Getenv("ATLAS_TEST_ARGS")
	if args == "" {
		t.Skip("run by runAtlas only")
	}
	os.Args = append([]string{"atlas"}, strings.Split(args, "\x1f")...)
	main()
	os.Exit(0)
}

// runAtlas runs atlas with args in a child process and returns its
// standard output and exit status.
func runAtlas(t *testing.T, args ...string) (stdout string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestMainProcess$")
	cmd.Env = append(os.Environ(), "ATLAS_TEST_ARGS="+strings.Join(args, "\x1f"), "OMP_THREAD_LIMIT=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run atlas: %v", err)
	}
	t.Logf("atlas %v: exit %d, stderr %q", args, code, errOut.String())
	return out.String(), code
}

func TestExtractCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("reads with Tesseract")
	}
	s, err := docgen.Generate(3, document.TypePAN, docgen.Clean)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "pan.png")
	if err := os.WriteFile(file, s.Data, 0o600); err != nil {
		t.Fatal(err)
	}

	out, code := runAtlas(t, "extract", "--words", file)
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	var res struct {
		File     string `json:"file"`
		FileData struct {
			Type      string `json:"document_type"`
			PANNumber struct {
				Value      string  `json:"value"`
				Confidence float64 `json:"confidence_score"`
			} `json:"pan_number"`
		} `json:"file_data"`
		Pages []struct {
			Words []struct {
				Text string `json:"text"`
				Box  [4]int `json:"box"`
			} `json:"words"`
		} `json:"pages"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output is not one JSON object: %v", err)
	}
	if res.File != file || res.FileData.Type != "PAN" || len(res.FileData.PANNumber.Value) != 10 {
		t.Errorf("file %q, document_type %q, pan_number of %d characters", res.File, res.FileData.Type, len(res.FileData.PANNumber.Value))
	}
	if len(res.Pages) != 1 || len(res.Pages[0].Words) == 0 || res.Pages[0].Words[0].Box[2] == 0 {
		t.Errorf("--words printed %d pages, want one with boxed words", len(res.Pages))
	}

	out, code = runAtlas(t, "extract", filepath.Join(dir, "missing.png"))
	if code != 1 {
		t.Errorf("missing file: exit %d, want 1", code)
	}
	if !strings.Contains(out, `"error":{"code":"FETCH_FAILED"`) || strings.Contains(out, "file_data") {
		t.Errorf("missing file printed %s", out)
	}
}

func TestExtractUsage(t *testing.T) {
	_, code := runAtlas(t, "extract")
	if code != 2 {
		t.Errorf("extract without files: exit %d, want 2", code)
	}
	var out bytes.Buffer
	if err := run([]string{"extract", "--nonsense"}, &out, &out); err == nil || errors.Is(err, errFilesFailed) {
		t.Errorf("unknown flag: %v", err)
	}
	if err := run([]string{"eval", "--n", "0"}, &out, &out); err == nil {
		t.Error("eval --n 0 succeeded")
	}
}
