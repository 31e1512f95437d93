package ocr

// This file is the only one that speaks cgo: thin wrappers over Tesseract's
// C API (capi.h). We use capi.h directly rather than gosseract because
// gosseract takes images only as encoded bytes or files (an encode and
// decode per page), runs recognition without a progress monitor (so no
// cancellation), has no orientation detection (a cgo shim would be needed
// anyway) and resets a page segmentation mode set before its first read.
// The C API needs a dozen calls, all below.

/*
#cgo LDFLAGS: -ltesseract -lleptonica -lgomp
#include <stdbool.h>
#include <stdlib.h>
#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

// libgomp reads OMP_THREAD_LIMIT once, when the library is loaded, which is
// before any Go code runs: os.Setenv is too late for this process (measured:
// a card read took 2.3-3.0 s with the variable set from Go, 0.4-0.9 s with it
// set before start or with this call). So every entry point below first sets
// max-active-levels to 0, which makes every OpenMP parallel region run on
// the calling thread alone. Tesseract's LSTM asks for 4 threads per region,
// which on a shared 2-core machine spin and run several times slower; the
// pipeline owns concurrency instead. libgomp keeps this setting process-wide
// today; OpenMP 5 scopes it per task, hence a call per entry (it is a store).
void omp_set_max_active_levels(int);
static void atlas_serial(void) { omp_set_max_active_levels(0); }

static TessBaseAPI* atlas_create(const char* datapath, const char* lang, int oem) {
	atlas_serial();
	TessBaseAPI* h = TessBaseAPICreate();
	if (h == NULL) return NULL;
	if (TessBaseAPIInit2(h, datapath, lang, (TessOcrEngineMode)oem) != 0) {
		TessBaseAPIDelete(h);
		return NULL;
	}
	return h;
}

static void atlas_delete(TessBaseAPI* h) {
	atlas_serial();
	TessBaseAPIEnd(h);
	TessBaseAPIDelete(h);
}

// atlas_set_image hands Tesseract 8-bit grey pixels as a Leptonica Pix
// that carries its resolution: orientation detection reads the resolution
// from the Pix, not from SetSourceResolution, and warns on stderr when it
// is missing.
static int atlas_set_image(TessBaseAPI* h, const unsigned char* src, int w, int hgt, int ppi) {
	atlas_serial();
	PIX* pix = pixCreate(w, hgt, 8);
	if (pix == NULL) return -1;
	l_uint32* data = pixGetData(pix);
	int wpl = pixGetWpl(pix);
	for (int y = 0; y < hgt; y++) {
		l_uint32* line = data + y * wpl;
		const unsigned char* row = src + y * w;
		// Leptonica packs 8-bit pixels big-endian within 32-bit words.
		for (int x = 0; x < w; x++) SET_DATA_BYTE(line, x, row[x]);
	}
	pixSetResolution(pix, ppi, ppi);
	TessBaseAPISetImage2(h, pix);
	pixDestroy(&pix); // Tesseract keeps its own copy
	return 0;
}

// The cancel flag lives in C memory so that Tesseract can poll it between
// words without calling back into Go.
static bool atlas_cancelled(void* flag, int words) {
	return __atomic_load_n((int*)flag, __ATOMIC_RELAXED) != 0;
}
static void atlas_flag_set(int* flag, int v) { __atomic_store_n(flag, v, __ATOMIC_RELAXED); }

static int atlas_recognize(TessBaseAPI* h, int* flag) {
	atlas_serial();
	ETEXT_DESC* m = TessMonitorCreate();
	TessMonitorSetCancelFunc(m, atlas_cancelled);
	TessMonitorSetCancelThis(m, flag);
	int rc = TessBaseAPIRecognize(h, m);
	TessMonitorDelete(m);
	return rc;
}

static int atlas_detect_orientation(TessBaseAPI* h, int* deg, float* conf) {
	atlas_serial();
	// The script guess is unreliable on short Latin text: only the angle is
	// asked for. (capi.h says to free the script name, but Tesseract 5.3
	// returns a pointer into its own unicharset: freeing it corrupts the heap.)
	return TessBaseAPIDetectOrientationScript(h, deg, conf, NULL, NULL);
}

typedef struct {
	char* text;
	float conf;
	int left, top, right, bottom;
	int new_block, new_para, new_line;
} atlas_word;

// atlas_words walks the last recognition's words, in reading order. It
// returns a malloc'ed array the caller frees with atlas_free_words.
static atlas_word* atlas_words(TessBaseAPI* h, int* n) {
	*n = 0;
	TessResultIterator* ri = TessBaseAPIGetIterator(h);
	if (ri == NULL) return NULL;
	int cap = 64;
	atlas_word* ws = malloc(cap * sizeof(atlas_word));
	const TessPageIterator* pi = TessResultIteratorGetPageIteratorConst(ri);
	do {
		char* t = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
		if (t == NULL) continue;
		if (*n == cap) {
			cap *= 2;
			ws = realloc(ws, cap * sizeof(atlas_word));
		}
		atlas_word* w = &ws[*n];
		w->text = t;
		w->conf = TessResultIteratorConfidence(ri, RIL_WORD);
		TessPageIteratorBoundingBox(pi, RIL_WORD, &w->left, &w->top, &w->right, &w->bottom);
		w->new_block = TessPageIteratorIsAtBeginningOf(pi, RIL_BLOCK);
		w->new_para = TessPageIteratorIsAtBeginningOf(pi, RIL_PARA);
		w->new_line = TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE);
		(*n)++;
	} while (TessResultIteratorNext(ri, RIL_WORD));
	TessResultIteratorDelete(ri);
	return ws;
}

static void atlas_free_words(atlas_word* ws, int n) {
	for (int i = 0; i < n; i++) TessDeleteText(ws[i].text);
	free(ws);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"unsafe"
)

// OCR engine modes of TessBaseAPIInit2.
const (
	oemLegacy = 0 // the only engine osd.traineddata has
	oemLSTM   = 1
)

// ppi is the resolution announced to Tesseract: pre-processing scales card
// images to about this, and a set value silences its resolution guess.
const ppi = 300

// tess is one TessBaseAPI handle.
type tess struct {
	h *C.TessBaseAPI
}

func newTess(datapath, lang string, oem int) (*tess, error) {
	var cdp *C.char
	if datapath != "" {
		cdp = C.CString(datapath)
		defer C.free(unsafe.Pointer(cdp))
	}
	cl := C.CString(lang)
	defer C.free(unsafe.Pointer(cl))
	h := C.atlas_create(cdp, cl, C.int(oem))
	if h == nil {
		return nil, fmt.Errorf("init tesseract %q: %w", lang, ErrInit)
	}
	return &tess{h: h}, nil
}

func (t *tess) close() {
	if t != nil && t.h != nil {
		C.atlas_delete(t.h)
		t.h = nil
	}
}

func (t *tess) setVariable(name, value string) error {
	cn, cv := C.CString(name), C.CString(value)
	defer C.free(unsafe.Pointer(cn))
	defer C.free(unsafe.Pointer(cv))
	if C.TessBaseAPISetVariable(t.h, cn, cv) == 0 {
		return fmt.Errorf("set tesseract variable %s: %w", name, errors.ErrUnsupported)
	}
	return nil
}

func (t *tess) pageSegMode() int { return int(C.TessBaseAPIGetPageSegMode(t.h)) }

// setImage hands Tesseract an 8-bit grey image; Tesseract copies the
// pixels, so g may be reused afterwards.
func (t *tess) setImage(g *gray) error {
	if C.atlas_set_image(t.h, (*C.uchar)(unsafe.Pointer(&g.pix[0])), C.int(g.w), C.int(g.h), ppi) != 0 {
		return fmt.Errorf("set image %dx%d: out of memory", g.w, g.h)
	}
	return nil
}

// recognize runs layout analysis and recognition on the image set last.
// Between words it polls *flag and stops early when it is non-zero.
func (t *tess) recognize(flag *C.int) error {
	if rc := C.atlas_recognize(t.h, flag); rc != 0 {
		return fmt.Errorf("recognize page: tesseract returned %d", int(rc))
	}
	return nil
}

// orientation returns the clockwise angle (0, 90, 180, 270) the text of the
// image set last appears rotated by, and Tesseract's confidence in it. ok
// is false when there was too little text to tell.
func (t *tess) orientation() (deg int, conf float64, ok bool) {
	var d C.int
	var c C.float
	if C.atlas_detect_orientation(t.h, &d, &c) == 0 {
		return 0, 0, false
	}
	return int(d), float64(c), true
}

// rawWord is a word as Tesseract gave it, in the pixels of the image set.
type rawWord struct {
	text                       string
	conf                       float64 // 0-100
	left, top, right, bottom   int
	newBlock, newPara, newLine bool
}

func (t *tess) words() []rawWord {
	var n C.int
	ws := C.atlas_words(t.h, &n)
	if ws == nil {
		return nil
	}
	defer C.atlas_free_words(ws, n)
	cws := unsafe.Slice(ws, int(n))
	out := make([]rawWord, len(cws))
	for i, w := range cws {
		out[i] = rawWord{
			text:     C.GoString(w.text),
			conf:     float64(w.conf),
			left:     int(w.left),
			top:      int(w.top),
			right:    int(w.right),
			bottom:   int(w.bottom),
			newBlock: w.new_block != 0,
			newPara:  w.new_para != 0,
			newLine:  w.new_line != 0,
		}
	}
	return out
}

// cancelFlag is a C int Tesseract polls; Go sets it from another goroutine.
type cancelFlag struct{ p *C.int }

func newCancelFlag() cancelFlag {
	return cancelFlag{p: (*C.int)(C.calloc(1, C.size_t(unsafe.Sizeof(C.int(0)))))}
}

func (f cancelFlag) set(v bool) {
	i := 0
	if v {
		i = 1
	}
	C.atlas_flag_set(f.p, C.int(i))
}

func (f cancelFlag) free() { C.free(unsafe.Pointer(f.p)) }
