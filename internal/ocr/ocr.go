// Package ocr reads the words of page images with Tesseract, through its C
// API. An Engine holds one loaded Tesseract model and is reused across
// documents, since loading the model is the expensive part; a Pool shares
// a fixed number of engines between workers.
//
// Tesseract gets no parallelism of its own: every call runs with OpenMP
// parallel regions off (see tess.go), and the pipeline owns concurrency,
// one engine per core.
package ocr

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/pipeline"
)

// Errors of this package.
var (
	// ErrInit is returned when Tesseract cannot load a language, usually
	// because its traineddata is missing from the tessdata directory.
	ErrInit = errors.New("tesseract could not load its language data")
	// ErrClosed is returned by a closed Engine or Pool.
	ErrClosed = errors.New("ocr engine closed")
)

// Config configures an Engine. The zero value means the defaults.
type Config struct {
	// Languages are Tesseract language codes joined by "+"; default "eng".
	Languages string
	// TessdataDir holds the .traineddata files; empty means Tesseract's
	// default (TESSDATA_PREFIX, else the packaged directory). It must also
	// hold osd.traineddata for orientation detection.
	TessdataDir string
	// PageSegMode is Tesseract's page segmentation mode, 1-13; default 6
	// (one uniform block of text). Measured on cards and statements, 6
	// beats 3 (automatic): 3 split statement columns and read nothing on a
	// blurred card.
	PageSegMode int
	// PageTimeout bounds Recognize for one page, orientation retries
	// included; default 30 s. A page that runs out fails with TIMEOUT.
	PageTimeout time.Duration
}

const (
	defaultLanguages   = "eng"
	defaultPageSegMode = 6
	defaultPageTimeout = 30 * time.Second
)

func (c Config) withDefaults() Config {
	c.Languages = cmp.Or(c.Languages, defaultLanguages)
	c.PageSegMode = cmp.Or(c.PageSegMode, defaultPageSegMode)
	c.PageTimeout = cmp.Or(c.PageTimeout, defaultPageTimeout)
	return c
}

func (c Config) validate() error {
	if c.PageSegMode < 1 || c.PageSegMode > 13 {
		// 0 is orientation detection only: it reads no words.
		return fmt.Errorf("ocr config: PageSegMode %d: want 1-13", c.PageSegMode)
	}
	if c.PageTimeout < 0 {
		return fmt.Errorf("ocr config: PageTimeout %s: want > 0", c.PageTimeout)
	}
	if strings.ContainsAny(c.Languages, " /\\") {
		return fmt.Errorf("ocr config: Languages %q: want codes joined by +", c.Languages)
	}
	return nil
}

// Engine reads page images. It is not safe for concurrent use: one
// goroutine at a time (concurrent calls are serialised, not parallel).
type Engine struct {
	cfg Config

	mu   sync.Mutex
	main *tess
	// osd is a second handle loaded with osd.traineddata alone. Measured:
	// the main handle cannot stand in for it: loaded "eng" or "eng+osd" it
	// reports 270 for a card turned 90 degrees (this one says 90), and
	// "eng+osd" also slows reading.
	osd  *tess
	flag cancelFlag
	// reads and osdRuns count Tesseract passes, for tests of the
	// orientation policy's cost.
	reads, osdRuns int
}

var _ pipeline.Recognizer = (*Engine)(nil)

var setThreadLimit sync.Once

// New loads Tesseract with cfg's languages. Loading takes a few hundred
// milliseconds: create engines once and reuse them.
func New(cfg Config) (*Engine, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	setThreadLimit.Do(func() {
		// This process's libgomp read its environment at load time, so this
		// does not limit Tesseract here (tess.go does that per call); it is
		// for the child processes this one starts that run Tesseract.
		if _, ok := os.LookupEnv("OMP_THREAD_LIMIT"); !ok {
			os.Setenv("OMP_THREAD_LIMIT", "1")
		}
	})
	t, err := newTess(cfg.TessdataDir, cfg.Languages, oemLSTM)
	if err != nil {
		return nil, err
	}
	// Set through the variable rather than only SetPageSegMode: measured
	// with gosseract, a mode set otherwise could be reset before reading.
	if err := t.setVariable("tessedit_pageseg_mode", fmt.Sprint(cfg.PageSegMode)); err != nil {
		t.close()
		return nil, err
	}
	// Loaded now rather than on the first turned page, so that a missing
	// osd.traineddata fails at startup. It is small (10 MB, ~0.1-0.3 s).
	osd, err := newTess(cfg.TessdataDir, "osd", oemLegacy)
	if err != nil {
		t.close()
		return nil, err
	}
	// Tesseract prints its diagnostics ("Too few characters. Skipping
	// this page") to stderr, which is the service's log: send them away.
	// debug_file is one global of the library, so either engine sets it.
	if err := osd.setVariable("debug_file", os.DevNull); err != nil {
		t.close()
		osd.close()
		return nil, err
	}
	return &Engine{cfg: cfg, main: t, osd: osd, flag: newCancelFlag()}, nil
}

// Close frees the engine's Tesseract handles. It is safe to call twice.
func (e *Engine) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.main == nil {
		return
	}
	e.main.close()
	e.osd.close()
	e.flag.free()
	e.main, e.osd = nil, nil
}

// Orientation policy. A first read of the page as given is kept when it is
// confident: most pages arrive upright and orientation detection costs
// 100-300 ms. Otherwise Tesseract's orientation detection (its angle only)
// picks a rotation, the page is read again turned, and the better read of
// the two is kept, so a wrong angle cannot make a page worse.
//
// The upright test counts strong words: 3+ letters or digits read at 85%
// confidence or more. Measured on the PAN specimens (sharp, blurred,
// filled), upright reads have 7-12 strong words (20-30% of their words);
// reads of the same cards turned 90, 180 or 270 degrees have 0 or 1. Mean
// confidence does not separate them: card artwork and Hindi text pull an
// upright read's mean down to 0.48.
const (
	strongConf      = 85 // Tesseract's 0-100 scale
	uprightMinWords = 4
	uprightMinShare = 0.25
)

// Recognize pre-processes img (grey, scaled to about 300 dpi for a card; a
// photographed card cut from its background and squared; a skewed page
// levelled: see prepare), corrects its orientation (0, 90, 180 or 270
// degrees) and reads its words.
//
// Word boxes are in the pixels of img after the rotation correction: for a
// Rotation of 90 or 270, Width and Height are img's height and width. Word
// confidences are in [0, 1]. Number is left 0 for the caller to set.
//
// A page that runs past the PageTimeout fails with a *document.Error of
// code TIMEOUT; a cancelled ctx returns ctx's error, wrapped. Tesseract
// checks for either between words; its layout analysis and orientation
// detection (well under a second on a card) run to their end.
func (e *Engine) Recognize(ctx context.Context, img image.Image) (document.Page, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	page := document.Page{Source: "ocr"}
	if e.main == nil {
		return page, ErrClosed
	}
	deadline := time.Now().Add(e.cfg.PageTimeout)
	pctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	if err := e.stopped(ctx, deadline); err != nil {
		return page, err
	}
	b := img.Bounds()
	page.Width, page.Height = b.Dx(), b.Dy()
	if b.Empty() {
		return page, nil
	}

	// Tesseract polls the flag between words; the watcher sets it when the
	// caller cancels or the page times out.
	e.flag.set(false)
	fired := make(chan struct{})
	stop := context.AfterFunc(pctx, func() {
		e.flag.set(true)
		close(fired)
	})
	defer func() {
		if !stop() {
			<-fired // the flag must not be set once the next page has begun
		}
	}()

	g := toGray(img)
	g = g.scale(scaleFor(g.w, g.h))
	// gs is the scaled image; warp, when set, maps the pixels of the image
	// read (before any quarter turn) to gs's.
	gs := g
	g, warp := prepare(g)

	words, err := e.read(g)
	if err := e.stopped(ctx, deadline); err != nil {
		return page, err
	}
	if err != nil {
		return page, err
	}
	rot := 0 // the clockwise turn applied to g
	if !upright(words) {
		turn, ok, err := e.orientation(g)
		if err := e.stopped(ctx, deadline); err != nil {
			return page, err
		}
		if err != nil {
			return page, err
		}
		// Try the turn detection suggests first; if it gives no upright
		// read (detection fails on some short cards: 3 of 20 generated
		// voter ids turned 90 degrees), try the other turns, stopping at
		// the first upright read.
		var turns []int
		if ok && turn != 0 {
			turns = append(turns, turn)
		}
		for _, d := range []int{90, 270, 180} {
			if d != turn || !ok {
				turns = append(turns, d)
			}
		}
		best, bestG := words, g
		for _, d := range turns {
			rg := g.rotate(d)
			rwords, err := e.read(rg)
			if err := e.stopped(ctx, deadline); err != nil {
				return page, err
			}
			if err != nil {
				return page, err
			}
			if score(rwords) > score(best) {
				best, bestG, rot = rwords, rg, d
			}
			if upright(rwords) {
				break
			}
		}
		words, g = best, bestG
	}

	page.Rotation = rot
	if rot == 90 || rot == 270 {
		page.Width, page.Height = page.Height, page.Width
	}
	if warp == nil {
		page.Words = toWords(words, g, page.Width, page.Height)
		return page, nil
	}
	// Undo the quarter turn, then the warp, then turn again in gs's
	// frame: toWords then only has to scale.
	ref := gs.rotate(rot)
	back := func(x, y float64) (float64, float64) {
		x, y = turn(x, y, g.w, g.h, (360-rot)%360)
		x, y = warp.apply(x, y)
		return turn(x, y, gs.w, gs.h, rot)
	}
	for i := range words {
		words[i] = mapWord(words[i], back)
	}
	page.Words = toWords(words, ref, page.Width, page.Height)
	return page, nil
}

// stopped says why reading must stop, if it must: the caller's context
// first, then the page's own deadline. The deadline is compared with the
// clock rather than read from a context, whose timer may not have fired yet.
func (e *Engine) stopped(ctx context.Context, deadline time.Time) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("recognize page: %w", context.Cause(ctx))
	}
	if !time.Now().Before(deadline) {
		return &document.Error{
			Code:      document.CodeTimeout,
			Message:   fmt.Sprintf("reading the page took longer than %s", e.cfg.PageTimeout),
			Retryable: true,
			Err:       context.DeadlineExceeded,
		}
	}
	return nil
}

func (e *Engine) read(g *gray) ([]rawWord, error) {
	e.reads++
	if err := e.main.setImage(g); err != nil {
		return nil, err
	}
	if err := e.main.recognize(e.flag.p); err != nil {
		return nil, err
	}
	return e.main.words(), nil
}

// orientation returns the clockwise rotation that makes g upright.
func (e *Engine) orientation(g *gray) (deg int, ok bool, err error) {
	e.osdRuns++
	if err := e.osd.setImage(g); err != nil {
		return 0, false, err
	}
	d, _, ok := e.osd.orientation()
	if !ok {
		return 0, false, nil
	}
	// Tesseract reports how far the text has been turned clockwise; the
	// correction turns it back (the rotation tests pin this).
	return (360 - d) % 360, true, nil
}

// upright says whether a read is confident enough to skip orientation
// detection.
func upright(ws []rawWord) bool {
	words, strong := 0, 0
	for _, w := range ws {
		if alnum(w.text) >= 3 {
			words++
			if w.conf >= strongConf {
				strong++
			}
		}
	}
	return strong >= uprightMinWords && float64(strong) >= uprightMinShare*float64(words)
}

// score rates a read for comparing two orientations of one page: the
// confidence-weighted count of letters and digits in real words. Reads of
// a turned page give few, short, unsure words.
func score(ws []rawWord) float64 {
	s := 0.0
	for _, w := range ws {
		if n := alnum(w.text); n >= 2 {
			s += float64(n) * w.conf / 100
		}
	}
	return s
}

func alnum(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// toWords maps Tesseract's words from g's pixels back to a page of w×h
// pixels (the input image, rotated), dropping empty words and numbering
// blocks, paragraphs within blocks and lines within paragraphs from 1.
func toWords(ws []rawWord, g *gray, w, h int) []document.Word {
	sx, sy := float64(w)/float64(g.w), float64(h)/float64(g.h)
	out := make([]document.Word, 0, len(ws))
	block, para, line := 0, 0, 0
	for _, rw := range ws {
		if rw.newBlock {
			block, para, line = block+1, 0, 0
		}
		if rw.newPara {
			para, line = para+1, 0
		}
		if rw.newLine {
			line++
		}
		text := strings.TrimSpace(rw.text)
		if text == "" {
			continue
		}
		r := image.Rect(
			int(float64(rw.left)*sx), int(float64(rw.top)*sy),
			int(float64(rw.right)*sx+0.999), int(float64(rw.bottom)*sy+0.999),
		).Intersect(image.Rect(0, 0, w, h))
		out = append(out, document.Word{
			Text:  text,
			Conf:  min(max(rw.conf/100, 0), 1),
			Box:   r,
			Block: max(block, 1),
			Para:  max(para, 1),
			Line:  max(line, 1),
		})
	}
	return out
}
