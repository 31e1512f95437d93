package extracttest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	_ "image/jpeg" // docgen photos
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	xdraw "golang.org/x/image/draw"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
)

// Recording is opt-in: it runs Tesseract.
//
//	go test ./internal/extract/extracttest -run TestRecord -record -nsamples 5
//	go test ./internal/extract/extracttest -run TestRecord -record -nsamples 20 -out /tmp/atlas-eval
var (
	record = flag.Bool("record", false, "generate docgen samples, OCR them with the tesseract command and write TSV + truth")
	nFlag  = flag.Int("nsamples", 5, "samples per type and condition")
	seed   = flag.Int64("seed", 1, "first seed")
	out    = flag.String("out", "", "output directory (default: the repository's testdata/samples)")
)

func TestRecord(t *testing.T) {
	if !*record {
		t.Skip("pass -record to regenerate the recorded OCR samples")
	}
	dir := cmpOr(*out, Dir())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	type job struct {
		seed int64
		typ  document.Type
		cond docgen.Condition
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range 2 { // workers = cores
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if err := recordOne(dir, j.seed, j.typ, j.cond); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	for i := range *nFlag {
		for _, typ := range docgen.Types {
			for _, c := range docgen.Conditions {
				jobs <- job{*seed + int64(i), typ, c}
			}
		}
	}
	close(jobs)
	wg.Wait()
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
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
	if s.Rotation != 0 {
		// Stand in for the recogniser's orientation step: turn it upright.
		img = turn(img, 360-s.Rotation)
	}
	img = prepare(img)
	tmp := filepath.Join(os.TempDir(), "atlas-record-"+name+".png")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	f.Close()
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
	truth, err := json.MarshalIndent(Truth{Seed: s.Seed, Type: s.Type, Condition: string(s.Condition), Layout: s.Layout, Rotation: s.Rotation, Truth: s.Truth}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name+".json"), append(truth, '\n'), 0o644)
}

// internal/ocr's pre-processing: an image whose longer side is under
// enoughLong is scaled up to minLong px (at most 4x, bilinear) and read in
// grey. Recording the same way keeps these samples faithful to what the
// extractors get in production.
const enoughLong, minLong = 1000, 1200

func prepare(img image.Image) image.Image {
	b := img.Bounds()
	f := 1.0
	if long := max(b.Dx(), b.Dy()); long < enoughLong {
		f = min(float64(minLong)/float64(long), 4)
	}
	w, h := int(float64(b.Dx())*f+0.5), int(float64(b.Dy())*f+0.5)
	out := image.NewGray(image.Rect(0, 0, w, h))
	xdraw.BiLinear.Scale(out, out.Bounds(), img, b, xdraw.Src, nil)
	return out
}

// turn rotates img clockwise by deg (90, 180, 270).
func turn(img image.Image, deg int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var out *image.RGBA
	if deg == 180 {
		out = image.NewRGBA(image.Rect(0, 0, w, h))
	} else {
		out = image.NewRGBA(image.Rect(0, 0, h, w))
	}
	for y := range h {
		for x := range w {
			c := img.At(b.Min.X+x, b.Min.Y+y)
			switch deg {
			case 90:
				out.Set(h-1-y, x, c)
			case 180:
				out.Set(w-1-x, h-1-y, c)
			case 270:
				out.Set(y, w-1-x, c)
			}
		}
	}
	return out
}
