package passport

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	xdraw "golang.org/x/image/draw"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// Recording is opt-in: it runs Tesseract.
//
//	go test ./internal/extract/passport -run TestRecord -record
var record = flag.Bool("record", false, "generate docgen samples, OCR them with the tesseract command and write TSV + truth to testdata")

const recordType = document.TypePassport

// recordSeeds are the samples kept in testdata, per condition.
var recordSeeds = []int64{1, 2, 3, 4}

func TestRecord(t *testing.T) {
	if !*record {
		t.Skip("pass -record to regenerate the recorded OCR samples")
	}
	for _, c := range []docgen.Condition{docgen.Clean, docgen.Scan} {
		for _, seed := range recordSeeds {
			if err := recordOne("testdata", seed, recordType, c); err != nil {
				t.Error(err)
			}
		}
	}
}

func recordOne(dir string, seed int64, typ document.Type, c docgen.Condition) error {
	s, err := docgen.Generate(seed, typ, c)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%s-%s-%d", strings.ToLower(string(typ)), c, seed)
	img, _, err := image.Decode(bytes.NewReader(s.Data))
	if err != nil {
		return fmt.Errorf("decode %s: %w", name, err)
	}
	tmp := filepath.Join(os.TempDir(), "atlas-record-"+name+".png")
	var buf bytes.Buffer
	if err := png.Encode(&buf, prepare(img)); err != nil {
		return err
	}
	if err := os.WriteFile(tmp, buf.Bytes(), 0o600); err != nil {
		return err
	}
	defer os.Remove(tmp)
	cmd := exec.Command("tesseract", tmp, "-", "--psm", "6", "tsv")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	tsv, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("tesseract %s: %w", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".tsv"), tsv, 0o644); err != nil {
		return err
	}
	truth, err := json.MarshalIndent(extracttest.Truth{Seed: s.Seed, Type: s.Type, Condition: string(s.Condition), Layout: s.Layout, Truth: s.Truth}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name+".json"), append(truth, '\n'), 0o644)
}

// prepare is internal/ocr's pre-processing, as extracttest records it:
// grey, the longer side scaled up to 1200 px (at most 4x, bilinear).
func prepare(img image.Image) image.Image {
	b := img.Bounds()
	f := 1.0
	if long := max(b.Dx(), b.Dy()); long < 1200 {
		f = min(1200/float64(long), 4)
	}
	w, h := int(float64(b.Dx())*f+0.5), int(float64(b.Dy())*f+0.5)
	out := image.NewGray(image.Rect(0, 0, w, h))
	xdraw.BiLinear.Scale(out, out.Bounds(), img, b, xdraw.Src, nil)
	return out
}
