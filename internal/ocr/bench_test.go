package ocr

import (
	"syscall"
	"testing"
	"time"
)

// The benchmarks compare the full Recognize with Tesseract alone on the
// same card, so that the cost of pre-processing and orientation handling
// shows as a ratio. Run with OMP_THREAD_LIMIT=1 for numbers comparable with
// the tesseract command; the engine limits OpenMP itself either way.
//
// Besides wall time they report cpu-ms/op, the process's CPU time per
// read: Tesseract runs on one thread here, so on a shared, loaded machine
// CPU time measures the work far more steadily than the clock does.

// cpuTime returns the CPU time this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loop runs f b.N times and reports its CPU time per run.
func loop(b *testing.B, f func() error) {
	start := cpuTime(b)
	for b.Loop() {
		if err := f(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime(b)-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// BenchmarkRawTesseract is one reused engine reading the image as given:
// grey pixels set as they are (converted once, outside the timer), PSM 6,
// no scaling, no orientation detection, words collected with their boxes.
func BenchmarkRawTesseract(b *testing.B) {
	e := engine(b)
	src := specimen(b)
	cases := []struct {
		name string
		g    *gray
	}{
		{"upright", toGray(src)},
		{"rot90", toGray(rotateCW(src, 90))},
		// For reference: the raw read at the resolution Recognize uses.
		{"upright-scaled", toGray(src).scale(scaleFor(448, 289))},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			loop(b, func() error {
				_, err := e.read(c.g)
				return err
			})
		})
	}
}

// BenchmarkRecognize is the full Recognize: grey, scale, read, and for the
// turned card orientation detection and a second read.
func BenchmarkRecognize(b *testing.B) {
	e := engine(b)
	src := specimen(b)
	for _, c := range []struct {
		name   string
		turned int
	}{{"upright", 0}, {"rot90", 90}} {
		img := rotateCW(src, c.turned)
		b.Run(c.name, func(b *testing.B) {
			loop(b, func() error {
				_, err := e.Recognize(b.Context(), img)
				return err
			})
		})
	}
}
