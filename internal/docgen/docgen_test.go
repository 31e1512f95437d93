package docgen

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/validate"
)

func generate(t testing.TB, seed int64, typ document.Type, c Condition) *Sample {
	t.Helper()
	s, err := Generate(seed, typ, c)
	if err != nil {
		t.Fatalf("Generate(%d, %s, %s): %v", seed, typ, c, err)
	}
	return s
}

func decode(t testing.TB, s *Sample) image.Image {
	t.Helper()
	img, format, err := image.Decode(bytes.NewReader(s.Data))
	if err != nil {
		t.Fatalf("decode %s %s: %v", s.Type, s.Condition, err)
	}
	if format != s.Format {
		t.Errorf("%s %s: decoded as %s, Format says %s", s.Type, s.Condition, format, s.Format)
	}
	if b := img.Bounds(); b.Dx() != s.Width || b.Dy() != s.Height {
		t.Errorf("%s %s: decoded %v, sample says %dx%d", s.Type, s.Condition, b, s.Width, s.Height)
	}
	return img
}

func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	for _, typ := range Types {
		for _, c := range Conditions {
			a, b := generate(t, 42, typ, c), generate(t, 42, typ, c)
			if !bytes.Equal(a.Data, b.Data) {
				t.Errorf("%s %s: same seed gave different bytes", typ, c)
			}
			if fmt.Sprint(a.Truth) != fmt.Sprint(b.Truth) || a.Layout != b.Layout || a.Rotation != b.Rotation {
				t.Errorf("%s %s: same seed gave different metadata", typ, c)
			}
			if other := generate(t, 43, typ, c); bytes.Equal(a.Data, other.Data) {
				t.Errorf("%s %s: seeds 42 and 43 gave the same bytes", typ, c)
			}
		}
	}
}

func TestGenerateDecodes(t *testing.T) {
	t.Parallel()
	for _, typ := range Types {
		for _, c := range Conditions {
			s := generate(t, 5, typ, c)
			img := decode(t, s)
			switch c {
			case Clean, Rotated, Scan:
				if s.Format != "png" {
					t.Errorf("%s %s: format %s, want png", typ, c, s.Format)
				}
			case Photo:
				if s.Format != "jpeg" {
					t.Errorf("%s %s: format %s, want jpeg", typ, c, s.Format)
				}
			}
			if c == Scan {
				if _, ok := img.(*image.Gray); !ok {
					t.Errorf("%s scan: decoded %T, want greyscale", typ, img)
				}
			}
		}
	}
}

// TestWithoutDevanagari checks that a machine without the Devanagari font
// still renders every type, with English-only layouts. Not parallel: it
// sets a package variable.
func TestWithoutDevanagari(t *testing.T) {
	withoutDevanagari = true
	defer func() { withoutDevanagari = false }()
	for seed := int64(1); seed <= 6; seed++ {
		for _, typ := range Types {
			s := generate(t, seed, typ, Clean)
			if strings.Contains(s.Layout, "bilingual") {
				t.Errorf("seed %d %s: layout %s without the Devanagari font", seed, typ, s.Layout)
			}
		}
	}
}

func TestGenerateUnknown(t *testing.T) {
	if _, err := Generate(1, "MENU_CARD", Clean); !errors.Is(err, ErrUnknownType) {
		t.Errorf("MENU_CARD: err = %v, want ErrUnknownType", err)
	}
	if _, err := Generate(1, document.TypeSaleDeed, Photo); !errors.Is(err, ErrUnsupported) {
		t.Errorf("sale deed photo: err = %v, want ErrUnsupported", err)
	}
	if _, err := Generate(1, document.TypePAN, "fax"); !errors.Is(err, ErrUnknownCondition) {
		t.Errorf("fax: err = %v, want ErrUnknownCondition", err)
	}
}

// TestRotatedLossless turns each rotated sample back and compares it with
// the clean one pixel for pixel, for every angle.
func TestRotatedLossless(t *testing.T) {
	t.Parallel()
	seen := map[int]bool{}
	for seed := int64(1); len(seen) < 3 && seed < 50; seed++ {
		typ := Types[seed%2]
		rot := generate(t, seed, typ, Rotated)
		if seen[rot.Rotation] {
			continue
		}
		seen[rot.Rotation] = true
		clean := generate(t, seed, typ, Clean)
		if rot.Truth["name"] != clean.Truth["name"] || rot.Truth["name_as_per_pan"] != clean.Truth["name_as_per_pan"] {
			t.Errorf("seed %d: rotated and clean show different people", seed)
		}
		w, h := clean.Width, clean.Height
		if rot.Rotation != 180 {
			w, h = h, w
		}
		if rot.Width != w || rot.Height != h {
			t.Errorf("rotation %d: %dx%d, want %dx%d", rot.Rotation, rot.Width, rot.Height, w, h)
		}
		back := rotate(toRGBA(decode(t, rot)), 360-rot.Rotation)
		if !bytes.Equal(back.Pix, toRGBA(decode(t, clean)).Pix) {
			t.Errorf("rotation %d: turning back does not give the clean card", rot.Rotation)
		}
	}
	if len(seen) != 3 {
		t.Errorf("rotations seen %v, want 90, 180 and 270", seen)
	}
}

func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok {
		return r
	}
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			out.Set(x-b.Min.X, y-b.Min.Y, img.At(x, y))
		}
	}
	return out
}

func TestPhotoLargerThanCard(t *testing.T) {
	t.Parallel()
	for _, typ := range Types {
		for seed := int64(1); seed <= 2; seed++ {
			clean, ph := generate(t, seed, typ, Clean), generate(t, seed, typ, Photo)
			if ph.Format != "jpeg" || !bytes.HasPrefix(ph.Data, []byte{0xff, 0xd8}) {
				t.Errorf("%s photo %d: not a JPEG", typ, seed)
			}
			if ph.Width <= clean.Width || ph.Height <= clean.Height {
				t.Errorf("%s photo %d: %dx%d, not larger than the card %dx%d", typ, seed, ph.Width, ph.Height, clean.Width, clean.Height)
			}
			decode(t, ph)
		}
	}
}

var (
	aadhaarShape = regexp.MustCompile(`^[2-9]\d{3} \d{4} \d{4}$`)
	addressEnd   = regexp.MustCompile(`, [A-Z][A-Za-z ]+, \d{6}$`)
)

// TestPeopleValid draws many people, without drawing their cards, and
// checks every ground-truth value against the validators atlas uses.
func TestPeopleValid(t *testing.T) {
	now := time.Now()
	for seed := range uint64(3000) {
		r := rand.New(rand.NewPCG(seed, 1))
		p := newPerson(r)
		checkPAN(t, int64(seed), panTruth(p, p.panNumber(r)), now)
		f := newAadhaarFields(r)
		checkAadhaar(t, int64(seed), f.truth(false), now, "aadhaar-front")
		checkAadhaar(t, int64(seed), f.truth(true), now, "aadhaar-letter")
		if t.Failed() {
			return
		}
	}
}

// TestTruthValid checks the ground truth Generate returns, over enough
// seeds to draw every layout.
func TestTruthValid(t *testing.T) {
	t.Parallel()
	now := time.Now()
	layouts := map[string]int{}
	for seed := int64(0); seed < 24; seed++ {
		for _, typ := range Types {
			s := generate(t, seed, typ, Clean)
			layouts[s.Layout]++
			for k, v := range s.Truth {
				if v == "" || strings.Contains(v, "  ") || strings.TrimSpace(v) != v {
					t.Errorf("seed %d %s: %s = %q is not collapsed text", seed, typ, k, v)
				}
			}
			switch typ {
			case document.TypePAN:
				checkPAN(t, seed, s.Truth, now)
			case document.TypeAadhaar:
				checkAadhaar(t, seed, s.Truth, now, s.Layout)
			}
			if t.Failed() {
				return
			}
		}
	}
	for _, l := range []string{"pan-old", "pan-new-english", "aadhaar-front-english", "aadhaar-letter"} {
		if layouts[l] == 0 {
			t.Errorf("layout %s never drawn: %v", l, layouts)
		}
	}
}

func checkPAN(t *testing.T, seed int64, truth map[string]string, now time.Time) {
	t.Helper()
	want := []string{"pan_number", "name_as_per_pan", "father_name", "dob"}
	if len(truth) != len(want) {
		t.Errorf("seed %d PAN: truth keys %v, want %v", seed, truth, want)
	}
	pan, name := truth["pan_number"], truth["name_as_per_pan"]
	if r := validate.PAN(pan); !r.Passed() {
		t.Errorf("seed %d PAN: %s fails %s: %v", seed, pan, r.Rule, r.Err)
	}
	words := strings.Fields(name)
	if len(pan) != 10 || pan[3] != 'P' || len(words) == 0 || pan[4] != words[len(words)-1][0] {
		t.Errorf("seed %d PAN: %s is not an individual's PAN for %q", seed, pan, name)
	}
	for _, n := range []string{name, truth["father_name"]} {
		w := strings.Fields(n)
		for i := 1; i < len(w); i++ {
			if w[i] == w[i-1] {
				t.Errorf("seed %d PAN: %q repeats a word", seed, n)
			}
		}
	}
	if name != strings.ToUpper(name) || truth["father_name"] != strings.ToUpper(truth["father_name"]) {
		t.Errorf("seed %d PAN: names are not upper case", seed)
	}
	if _, r := validate.DOB(truth["dob"], now); !r.Passed() {
		t.Errorf("seed %d PAN: dob %q: %v", seed, truth["dob"], r.Err)
	}
}

func checkAadhaar(t *testing.T, seed int64, truth map[string]string, now time.Time, layout string) {
	t.Helper()
	n := truth["aadhaar_number"]
	if !aadhaarShape.MatchString(n) || !validate.Verhoeff(strings.ReplaceAll(n, " ", "")) || !validate.Aadhaar(n).Passed() {
		t.Errorf("seed %d AADHAAR: number %q is not a valid Aadhaar", seed, n)
	}
	if g := truth["gender"]; g != "MALE" && g != "FEMALE" {
		t.Errorf("seed %d AADHAAR: gender %q", seed, g)
	}
	if truth["name"] == "" {
		t.Errorf("seed %d AADHAAR: no name", seed)
	}
	dob := truth["date_of_birth"]
	if len(dob) == 4 {
		// Cards that print only the year of birth.
		if y, err := strconv.Atoi(dob); err != nil || y < 1900 || y > now.Year() {
			t.Errorf("seed %d AADHAAR: year of birth %q", seed, dob)
		}
	} else if _, r := validate.DOB(dob, now); !r.Passed() {
		t.Errorf("seed %d AADHAAR: date_of_birth %q: %v", seed, dob, r.Err)
	}
	addr, ok := truth["address"]
	if ok != (layout == "aadhaar-letter") {
		t.Errorf("seed %d AADHAAR %s: address present = %v", seed, layout, ok)
	}
	if ok && (!addressEnd.MatchString(addr) || !strings.HasPrefix(addr, "S/O ") && !strings.HasPrefix(addr, "D/O ") && !strings.HasPrefix(addr, "W/O ")) {
		t.Errorf("seed %d AADHAAR: address %q", seed, addr)
	}
}

func TestHomography(t *testing.T) {
	tests := []struct {
		name     string
		from, to [4][2]float64
	}{
		{"identity", [4][2]float64{{0, 0}, {10, 0}, {10, 5}, {0, 5}}, [4][2]float64{{0, 0}, {10, 0}, {10, 5}, {0, 5}}},
		{"scale and shift", [4][2]float64{{0, 0}, {10, 0}, {10, 5}, {0, 5}}, [4][2]float64{{3, 4}, {23, 4}, {23, 14}, {3, 14}}},
		{"perspective", [4][2]float64{{12, 30}, {1000, 5}, {1030, 640}, {-8, 660}}, [4][2]float64{{0, 0}, {1011, 0}, {1011, 638}, {0, 638}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := homography(tt.from, tt.to)
			for i, p := range tt.from {
				x, y := h.apply(p[0], p[1])
				if d := (x-tt.to[i][0])*(x-tt.to[i][0]) + (y-tt.to[i][1])*(y-tt.to[i][1]); d > 1e-6 {
					t.Errorf("point %d: got (%.3f, %.3f), want %v", i, x, y, tt.to[i])
				}
			}
		})
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, typ := range Types {
		for _, c := range Conditions {
			b.Run(string(typ)+"/"+string(c), func(b *testing.B) {
				// CPU time per card, besides wall time: the machine is shared
				// and wall time swings with its load.
				var seed int64
				start := cpuTime()
				for b.Loop() {
					seed++
					if _, err := Generate(seed, typ, c); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
			})
		}
	}
}

// cpuTime returns the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
