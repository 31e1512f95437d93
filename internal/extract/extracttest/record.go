package extracttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	_ "image/jpeg" // docgen photos
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	xdraw "golang.org/x/image/draw"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
)

// Record records the samples of typ for each of conds and seeds into dir
// (see RecordOne), reporting each failure on t. Callers gate it behind
// their own -record flag: a flag defined here would clash with theirs.
func Record(t *testing.T, typ document.Type, dir string, seeds []int64, conds []docgen.Condition) {
	t.Helper()
	for _, c := range conds {
		for _, seed := range seeds {
			if err := RecordOne(dir, seed, typ, c); err != nil {
				t.Error(err)
			}
		}
	}
}

// RecordOne generates the docgen sample of seed, typ and c, reads it with
// the tesseract command (prepared as internal/ocr prepares images, turned
// upright first if docgen rotated it) and writes its TSV and truth JSON to
// dir as "<type>-<condition>-<seed>.tsv" and ".json". It runs Tesseract,
// so it is for opt-in recording, never for ordinary test runs.
func RecordOne(dir string, seed int64, typ document.Type, c docgen.Condition) error {
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
