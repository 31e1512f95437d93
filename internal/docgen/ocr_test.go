package docgen

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/atlas-oss/atlas/internal/document"
)

// tesseract reads data with the tesseract command (PSM 6, one thread) and
// returns its text. It skips the test when the command is missing, unless
// CI=true, where a missing Tesseract is a broken runner.
func tesseract(t testing.TB, s *Sample) string {
	t.Helper()
	bin, err := exec.LookPath("tesseract")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tesseract not installed on CI")
		}
		t.Skip("tesseract not installed")
	}
	text, err := runTesseract(bin, t.TempDir(), s)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

func runTesseract(bin, dir string, s *Sample) (string, error) {
	path := filepath.Join(dir, fmt.Sprintf("%s-%s-%d.%s", s.Type, s.Condition, s.Seed, s.Format))
	if err := os.WriteFile(path, s.Data, 0o600); err != nil {
		return "", err
	}
	defer os.Remove(path)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, path, "-", "--psm", "6")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("run tesseract: %w", err)
	}
	return string(out), nil
}

// fold normalises OCR text for tolerant matching: upper case, letters and
// digits only, and the glyphs OCR confuses mapped to one (O/0, I/L/1, S/5,
// B/8, Z/2, G/6).
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L' || r == '|':
			r = '1'
		case r == 'S':
			r = '5'
		case r == 'B':
			r = '8'
		case r == 'Z':
			r = '2'
		case r == 'G':
			r = '6'
		}
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestTesseractReadsClean checks that Tesseract, as atlas runs it, finds
// the key values on a clean card of each type.
func TestTesseractReadsClean(t *testing.T) {
	cases := []struct {
		typ  document.Type
		keys []string
	}{
		{document.TypePAN, []string{"pan_number", "name_as_per_pan", "dob"}},
		{document.TypeAadhaar, []string{"aadhaar_number", "name", "date_of_birth"}},
	}
	for _, tc := range cases {
		t.Run(string(tc.typ), func(t *testing.T) {
			s := generate(t, 1, tc.typ, Clean)
			text := fold(tesseract(t, s))
			for _, k := range tc.keys {
				if !strings.Contains(text, fold(s.Truth[k])) {
					// The value is synthetic: logging it leaks nothing.
					t.Errorf("%s: %s %q not read; tesseract read %q", s.Layout, k, s.Truth[k], text)
				}
			}
		})
	}
}

// TestReadability measures how often Tesseract reads the key values
// verbatim, per type and condition. It is a report, not a check; run it
// with DOCGEN_READABILITY=N (samples per type and condition):
//
//	DOCGEN_READABILITY=10 go test ./internal/docgen -run TestReadability -v
func TestReadability(t *testing.T) {
	n := 0
	fmt.Sscan(os.Getenv("DOCGEN_READABILITY"), &n)
	if n <= 0 {
		t.Skip("set DOCGEN_READABILITY=N to measure")
	}
	bin, err := exec.LookPath("tesseract")
	if err != nil {
		t.Skip("tesseract not installed")
	}
	dir := t.TempDir()
	keys := map[document.Type][3]string{
		document.TypePAN:     {"pan_number", "name_as_per_pan", "dob"},
		document.TypeAadhaar: {"aadhaar_number", "name", "date_of_birth"},
	}
	type job struct {
		typ document.Type
		c   Condition
		i   int
	}
	var (
		mu     sync.Mutex
		counts = map[string]*[3]int{}
		jobs   = make(chan job)
		wg     sync.WaitGroup
	)
	for range 2 { // workers = cores
		wg.Go(func() {
			for j := range jobs {
				s, err := Generate(int64(1000+j.i), j.typ, j.c)
				var raw string
				if err == nil {
					raw, err = runTesseract(bin, dir, s)
				}
				if err != nil {
					t.Error(err)
					continue
				}
				text := strings.Join(strings.Fields(raw), " ")
				mu.Lock()
				k := string(j.typ) + "/" + string(j.c)
				if counts[k] == nil {
					counts[k] = &[3]int{}
				}
				for f, key := range keys[j.typ] {
					if strings.Contains(text, s.Truth[key]) {
						counts[k][f]++
					} else if j.c != Rotated {
						// Synthetic values: safe to log.
						t.Logf("miss %s seed %d %s: %s %q", k, s.Seed, s.Layout, key, s.Truth[key])
					}
				}
				mu.Unlock()
			}
		})
	}
	for _, typ := range Types {
		for _, c := range Conditions {
			for i := range n {
				jobs <- job{typ, c, i}
			}
		}
	}
	close(jobs)
	wg.Wait()
	t.Logf("verbatim in tesseract --psm 6 output, of %d samples: number / name / dob", n)
	for _, typ := range Types {
		for _, c := range Conditions {
			k := string(typ) + "/" + string(c)
			t.Logf("%-18s %2d / %2d / %2d", k, counts[k][0], counts[k][1], counts[k][2])
		}
	}
}
