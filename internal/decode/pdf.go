package decode

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/sys/unix"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/pipeline"
)

// Poppler is GPL: atlas runs its commands as separate processes and never
// links it. Each runs with a timeout, a cap on what it writes and an
// address-space limit, on a copy of the PDF in a private temp directory.
var popplerTools = []string{"pdfinfo", "pdftotext", "pdftoppm", "pdfimages"}

// minTextWords is how many words with a letter or digit a page's text
// layer needs to be read as text; fewer (a scanner's stamp, a page
// number) and the page is treated as scanned.
const minTextWords = 5

// CheckTools reports whether poppler's commands are on PATH. Decode calls
// it at the first PDF; call it at start-up to fail fast.
func (d *Decoder) CheckTools() error {
	d.toolsOnce.Do(func() {
		d.tools = map[string]string{}
		var missing []string
		for _, t := range popplerTools {
			p, err := exec.LookPath(t)
			if err != nil {
				missing = append(missing, t)
				continue
			}
			d.tools[t] = p
		}
		if len(missing) > 0 {
			d.toolsErr = fmt.Errorf("find %s: %w", strings.Join(missing, ", "), ErrPopplerMissing)
		}
	})
	return d.toolsErr
}

// pdfPage is what pdfinfo says of one page.
type pdfPage struct {
	w, h   float64 // crop box, points
	rot    int
	mw, mh int // media box at DPI, pixels, as pdftotext reported it
}

func (d *Decoder) decodePDF(ctx context.Context, data []byte) ([]pipeline.DecodedPage, error) {
	if err := d.CheckTools(); err != nil {
		return nil, &document.Error{Code: document.CodeInternal, Message: "this server cannot read PDFs: poppler-utils is not installed", Err: err}
	}
	dir, err := os.MkdirTemp("", "atlas-decode-")
	if err != nil {
		return nil, fmt.Errorf("create temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return nil, fmt.Errorf("write temp pdf: %w", err)
	}

	// pdftotext prints every page's media box with its words, so a PDF
	// whose pages all carry text costs one poppler command, not two. It
	// reads one page past the limit, to tell an oversized PDF without
	// reading all of it.
	text, err := d.pdfText(ctx, path, d.lim.MaxPages+1)
	if err != nil {
		var de *document.Error
		if errors.As(err, &de) && de.Code == document.CodeTooLarge {
			// Too much text may be too many pages: say so, as pdfinfo
			// would have before reading any text.
			if n, cerr := d.pdfPageCount(ctx, path); cerr == nil && n > d.lim.MaxPages {
				return nil, tooManyPages(n, d.lim.MaxPages)
			}
		}
		return nil, err
	}
	if len(text) > d.lim.MaxPages {
		n, cerr := d.pdfPageCount(ctx, path)
		if cerr != nil || n <= d.lim.MaxPages {
			return nil, tooLarge("the PDF has over %d pages, over the limit of %d", d.lim.MaxPages, d.lim.MaxPages)
		}
		return nil, tooManyPages(n, d.lim.MaxPages)
	}
	if len(text) == 0 {
		return nil, unreadable(nil, "the PDF has no pages")
	}
	// pdftotext's page size is the media box, which a bomb may declare
	// huge behind a small crop box; pdftoppm draws the media box too.
	scanned := false
	for i := range text {
		p := &text[i]
		if p.Width <= 0 || p.Height <= 0 {
			return nil, unreadable(nil, "page %d of the PDF has no valid size", i+1)
		}
		if err := d.checkPageSize(i+1, p.Width, p.Height); err != nil {
			return nil, err
		}
		scanned = scanned || realWords(*p) < minTextWords
	}

	// pdfinfo is still needed for a page to draw (its crop box) and for
	// a page that may be turned: pdftotext places words on the turned
	// page but prints the unturned size.
	n := len(text)
	var info []pdfPage
	if scanned || mayRotate(data) {
		if info, err = d.pdfInfo(ctx, path); err != nil {
			return nil, err
		}
		for i, p := range info {
			if err := d.checkPageSize(i+1, d.toPixels(p.w), d.toPixels(p.h)); err != nil {
				return nil, err
			}
		}
		n = len(info)
		for i := range text {
			if i >= n {
				break
			}
			p := &text[i]
			info[i].mw, info[i].mh = p.Width, p.Height
			if info[i].rot%180 != 0 { // words are placed on the turned page
				p.Width, p.Height = p.Height, p.Width
			}
		}
	}

	pages := make([]pipeline.DecodedPage, n)
	var images map[int][]listedImage // listed at the first scanned page
	var total int64
	for i := range n {
		if err := ctx.Err(); err != nil {
			return nil, ctxError(ctx, "decode PDF")
		}
		if i < len(text) && realWords(text[i]) >= minTextWords {
			pages[i].TextLayer = &text[i]
			continue
		}
		if images == nil {
			if images, err = d.pdfImages(ctx, path, n); err != nil {
				if ctx.Err() != nil {
					return nil, err
				}
				images = map[int][]listedImage{} // draw every scanned page
			}
		}
		img, err := d.scannedPage(ctx, path, dir, i+1, info[i], images[i+1])
		if err != nil {
			return nil, err
		}
		b := img.Bounds()
		if total += int64(b.Dx()) * int64(b.Dy()); total > d.lim.MaxTotalPixels {
			return nil, tooLarge("the PDF's scanned pages add up to over %.0f megapixels, the limit", float64(d.lim.MaxTotalPixels)/1e6)
		}
		pages[i].Image = img
	}
	return pages, nil
}

// checkPageSize refuses a page whose drawing at DPI would be over the
// limits: a PDF of a few hundred bytes may declare a page of 200000 pt.
func (d *Decoder) checkPageSize(page, w, h int) error {
	if w > d.lim.MaxSide || h > d.lim.MaxSide || int64(w)*int64(h) > int64(d.lim.MaxPixels) {
		return tooLarge("page %d is %d x %d pixels at %d dpi (%.0f x %.0f pt), over the limit of %.1f megapixels and %d pixels a side",
			page, w, h, d.lim.DPI, float64(w)*72/float64(d.lim.DPI), float64(h)*72/float64(d.lim.DPI), float64(d.lim.MaxPixels)/1e6, d.lim.MaxSide)
	}
	return nil
}

func (d *Decoder) toPixels(pt float64) int {
	return int(math.Ceil(pt*float64(d.lim.DPI)/72 - 1e-6)) // 792 pt is 3300 px, not 3301
}

// pdfInfo returns the page sizes, refusing PDFs over MaxPages.
func (d *Decoder) pdfInfo(ctx context.Context, path string) ([]pdfPage, error) {
	out, err := d.run(ctx, "pdfinfo", []string{"-f", "1", "-l", strconv.Itoa(d.lim.MaxPages), path}, 1<<20, 0)
	if err != nil {
		return nil, err
	}
	n, pages, err := parsePDFInfo(out, d.lim.MaxPages)
	if err != nil {
		return nil, err
	}
	if n > d.lim.MaxPages {
		return nil, tooManyPages(n, d.lim.MaxPages)
	}
	return pages, nil
}

func tooManyPages(n, limit int) *document.Error {
	return tooLarge("the PDF has %d pages, over the limit of %d", n, limit)
}

// pdfPageCount returns the number of pages pdfinfo reports.
func (d *Decoder) pdfPageCount(ctx context.Context, path string) (int, error) {
	out, err := d.run(ctx, "pdfinfo", []string{path}, 1<<20, 0)
	if err != nil {
		return 0, err
	}
	n, _, err := parsePDFInfo(out, 0)
	return n, err
}

// mayRotate says whether the PDF may turn a page: whether a /Rotate key
// or an object stream (which could hold one, compressed) appears in its
// bytes. A name spelt with escapes (/Ro#74ate) slips past; it can only
// mislabel its own text layer's orientation: the size limits are checked
// on the media box, whose area and longest side do not turn with it.
func mayRotate(data []byte) bool {
	return bytes.Contains(data, []byte("Rotate")) || bytes.Contains(data, []byte("ObjStm"))
}

// parsePDFInfo reads pdfinfo's "Pages:", "Page N size:" and "Page N rot:"
// lines. The document's metadata (its Title...) is printed before them
// and may hold forged lines, so the last value of each wins.
func parsePDFInfo(out []byte, maxPages int) (n int, pages []pdfPage, err error) {
	n = -1
	sizes := map[int]pdfPage{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "Pages:"); ok {
			if k, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
				n = k
			}
			continue
		}
		rest, ok := strings.CutPrefix(line, "Page ")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) < 3 {
			continue
		}
		pg, err := strconv.Atoi(f[0])
		if err != nil || pg < 1 || pg > maxPages {
			continue
		}
		p := sizes[pg]
		switch {
		case f[1] == "size:" && len(f) >= 5 && f[3] == "x":
			w, err1 := strconv.ParseFloat(f[2], 64)
			h, err2 := strconv.ParseFloat(f[4], 64)
			if err1 != nil || err2 != nil || !(w > 0) || !(h > 0) || math.IsInf(w, 0) || math.IsInf(h, 0) {
				return 0, nil, unreadable(nil, "page %d of the PDF has no valid size", pg)
			}
			p.w, p.h = w, h
		case f[1] == "rot:":
			p.rot, _ = strconv.Atoi(f[2])
		}
		sizes[pg] = p
	}
	if n <= 0 {
		return 0, nil, unreadable(nil, "the PDF has no pages")
	}
	for pg := 1; pg <= min(n, maxPages); pg++ {
		p, ok := sizes[pg]
		if !ok || p.w == 0 {
			return 0, nil, unreadable(nil, "page %d of the PDF has no size", pg)
		}
		pages = append(pages, p)
	}
	return n, pages, nil
}

// pdfText returns the text layer of pages 1..n, in pixels at DPI.
func (d *Decoder) pdfText(ctx context.Context, path string, n int) ([]document.Page, error) {
	out, err := d.run(ctx, "pdftotext", []string{"-bbox-layout", "-enc", "UTF-8", "-f", "1", "-l", strconv.Itoa(n), path, "-"}, d.lim.MaxCommandOutput, 0)
	if err != nil {
		return nil, err
	}
	pages, err := parseBBoxLayout(out, float64(d.lim.DPI)/72)
	if err != nil {
		return nil, unreadable(err, "the PDF's text layer is malformed")
	}
	return pages, nil
}

// parseBBoxLayout reads pdftotext -bbox-layout's XHTML: page > flow >
// block > line > word, boxes in points from the top left. Flows become
// Block, blocks Para and lines Line, as Tesseract numbers its own.
func parseBBoxLayout(out []byte, scale float64) ([]document.Page, error) {
	dec := xml.NewDecoder(bytes.NewReader(xmlSafe(out)))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	dec.AutoClose = xml.HTMLAutoClose
	var (
		pages             []document.Page
		cur               *document.Page
		flow, block, line int
		inDoc, inWord     bool
		word              strings.Builder
		box               image.Rectangle
	)
	px := func(v float64, up bool) int {
		v *= scale
		if up {
			return int(math.Ceil(v - 1e-6))
		}
		return int(math.Floor(v + 1e-6))
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, fmt.Errorf("parse bbox layout: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			a := attrs(t.Attr)
			switch t.Name.Local {
			case "doc":
				inDoc = true
			case "page":
				// Only the body's doc holds pages: the head's title
				// and meta carry the PDF's own (escaped) metadata.
				if !inDoc {
					cur = nil
					continue
				}
				pages = append(pages, document.Page{
					Number: len(pages) + 1, Source: "pdf_text",
					Width: px(a["width"], true), Height: px(a["height"], true),
				})
				cur = &pages[len(pages)-1]
				flow, block, line = 0, 0, 0
			case "flow":
				flow, block = flow+1, 0
			case "block":
				block, line = block+1, 0
			case "line":
				line++
			case "word":
				if cur == nil {
					continue
				}
				inWord = true
				word.Reset()
				box = image.Rect(px(a["xMin"], false), px(a["yMin"], false), px(a["xMax"], true), px(a["yMax"], true))
			}
		case xml.CharData:
			if inWord && word.Len() < 1024 {
				word.Write(t)
			}
		case xml.EndElement:
			if t.Name.Local == "doc" {
				inDoc, cur = false, nil
			}
			if t.Name.Local == "word" && inWord {
				inWord = false
				if s := strings.TrimSpace(word.String()); s != "" && cur != nil {
					cur.Words = append(cur.Words, document.Word{
						Text: s, Conf: 1, Box: box,
						Block: max(flow, 1), Para: max(block, 1), Line: max(line, 1),
					})
				}
			}
		}
	}
	return pages, nil
}

func attrs(as []xml.Attr) map[string]float64 {
	m := make(map[string]float64, len(as))
	for _, a := range as {
		v, err := strconv.ParseFloat(a.Value, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		m[a.Name.Local] = max(min(v, 1e7), -1e7)
	}
	return m
}

// xmlSafe replaces what XML 1.0 forbids (control characters a PDF's text
// may map glyphs to, invalid UTF-8) so one odd glyph cannot cost the
// whole text layer.
func xmlSafe(b []byte) []byte {
	ok := true
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if !xmlChar(r, n) {
			ok = false
			break
		}
		i += n
	}
	if ok {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if xmlChar(r, n) {
			out = append(out, b[i:i+n]...)
		} else {
			out = append(out, ' ')
		}
		i += n
	}
	return out
}

func xmlChar(r rune, n int) bool {
	if r == utf8.RuneError && n <= 1 {
		return false
	}
	return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r != 0xfffe && r != 0xffff)
}

// realWords counts the words with a letter or digit.
func realWords(p document.Page) int {
	n := 0
	for _, w := range p.Words {
		if strings.IndexFunc(w.Text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			n++
		}
	}
	return n
}

// listedImage is one row of pdfimages -list.
type listedImage struct {
	typ        string // image, mask, smask, stencil
	w, h, comp int
	xppi, yppi float64
}

func (d *Decoder) pdfImages(ctx context.Context, path string, n int) (map[int][]listedImage, error) {
	out, err := d.run(ctx, "pdfimages", []string{"-list", "-f", "1", "-l", strconv.Itoa(n), path}, 16<<20, 0)
	if err != nil {
		return nil, err
	}
	return parseImageList(out), nil
}

// parseImageList reads pdfimages -list: page num type width height color
// comp bpc enc interp object ID x-ppi y-ppi size ratio.
func parseImageList(out []byte) map[int][]listedImage {
	m := map[int][]listedImage{}
	for line := range strings.SplitSeq(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 14 {
			continue
		}
		pg, err := strconv.Atoi(f[0])
		if err != nil {
			continue
		}
		w, _ := strconv.Atoi(f[3])
		h, _ := strconv.Atoi(f[4])
		comp, _ := strconv.Atoi(f[6])
		xppi, _ := strconv.ParseFloat(f[12], 64)
		yppi, _ := strconv.ParseFloat(f[13], 64)
		m[pg] = append(m[pg], listedImage{typ: f[2], w: w, h: h, comp: comp, xppi: xppi, yppi: yppi})
	}
	return m
}

// scannedPage returns a page's image: the one embedded image when it
// covers the page upright (a scanner's or phone app's output: extracted in
// milliseconds, at its own resolution), else the page rasterised in gray
// at DPI (about 120 ms a page).
func (d *Decoder) scannedPage(ctx context.Context, path, dir string, page int, p pdfPage, imgs []listedImage) (image.Image, error) {
	if len(imgs) == 1 && covers(imgs[0], p) && d.checkSize("", imgs[0].w, imgs[0].h) == nil {
		img, err := d.extractImage(ctx, path, dir, page)
		if err == nil {
			if b := img.Bounds(); b.Dx() == imgs[0].w && b.Dy() == imgs[0].h {
				return img, nil
			}
		} else if ctx.Err() != nil {
			return nil, err
		}
		// Anything odd about the embedded image: let poppler draw the page.
	}
	return d.render(ctx, path, page, p)
}

// covers says the image fills the page, upright: its placed size (from
// its pixels and resolution) matches the page's within 3%, and so does its
// aspect, which a quarter-turned placement would invert.
func covers(im listedImage, p pdfPage) bool {
	if im.typ != "image" || (im.comp != 1 && im.comp != 3) || p.rot%360 != 0 ||
		!(im.xppi > 0) || !(im.yppi > 0) || im.w <= 0 || im.h <= 0 {
		return false
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 0.03*b }
	pw, ph := float64(im.w)*72/im.xppi, float64(im.h)*72/im.yppi
	return near(pw, p.w) && near(ph, p.h) && near(float64(im.w)/float64(im.h), p.w/p.h)
}

func (d *Decoder) extractImage(ctx context.Context, path, dir string, page int) (image.Image, error) {
	pg := strconv.Itoa(page)
	prefix := filepath.Join(dir, "p"+pg)
	// -j keeps JPEGs as they are; everything else is written as PNM.
	if _, err := d.run(ctx, "pdfimages", []string{"-j", "-f", pg, "-l", pg, path, prefix}, 1<<16, d.lim.MaxCommandOutput); err != nil {
		return nil, err
	}
	files, _ := filepath.Glob(prefix + "-*")
	defer func() {
		for _, f := range files {
			os.Remove(f)
		}
	}()
	if len(files) != 1 {
		return nil, fmt.Errorf("extract image: %d files", len(files))
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		return nil, fmt.Errorf("read extracted image: %w", err)
	}
	if strings.HasSuffix(files[0], ".jpg") {
		return d.decodeOne("jpeg", bytes.NewReader(data), page)
	}
	return parsePNM(data, d.checkSize)
}

// render rasterises one page in gray at DPI, as raw PGM: 8x faster than
// PNG output.
func (d *Decoder) render(ctx context.Context, path string, page int, p pdfPage) (image.Image, error) {
	pg := strconv.Itoa(page)
	// The page size was checked against the limits; the output cap holds
	// poppler to it (+1 for its rounding, with room for the header).
	w, h := max(d.toPixels(p.w), p.mw)+1, max(d.toPixels(p.h), p.mh)+1
	out, err := d.run(ctx, "pdftoppm", []string{"-r", strconv.Itoa(d.lim.DPI), "-gray", "-f", pg, "-l", pg, path}, int64(w)*int64(h)+1024, 0)
	if err != nil {
		return nil, err
	}
	img, err := parsePNM(out, d.checkSize)
	if err != nil {
		return nil, unreadable(err, "page %d of the PDF could not be drawn", page)
	}
	return img, nil
}

var errOutputTooLarge = errors.New("command output over its limit")

// run runs a poppler command and returns its standard output, at most
// maxOut bytes. fileLimit, when set, caps each file it writes.
func (d *Decoder) run(ctx context.Context, tool string, args []string, maxOut, fileLimit int64) ([]byte, error) {
	if ctx.Err() != nil {
		return nil, ctxError(ctx, "read PDF")
	}
	cctx, cancel := context.WithTimeout(ctx, d.lim.CommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(cctx, d.tools[tool], args...)
	// A clean environment: the service's secrets are no business of a
	// parser fed untrusted bytes.
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LC_ALL=C.UTF-8", "HOME=/nonexistent"}
	// After the command exits (or is killed), how long its output may
	// still take to drain into our buffers before the pipes are closed:
	// a 300 dpi page is 8 MB, and under -race on a loaded 2-core machine
	// one second was measured too short for it.
	cmd.WaitDelay = 10 * time.Second
	stdout := &capWriter{max: maxOut, cancel: cancel}
	stderr := &capWriter{max: 4096}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", tool, err)
	}
	// Set right after exec, before poppler has opened the PDF: os/exec
	// has no hook between fork and exec, and the prlimit command would be
	// one more dependency.
	pid := cmd.Process.Pid
	type rlimit struct {
		res int
		v   uint64
	}
	limits := []rlimit{
		{unix.RLIMIT_AS, uint64(d.lim.MaxCommandMemory)},
		{unix.RLIMIT_CPU, uint64(d.lim.CommandTimeout/time.Second) + 1},
		{unix.RLIMIT_CORE, 0},
	}
	// Only for commands that write files: fontconfig may write its cache
	// from any of them, and SIGXFSZ would kill a render for it.
	if fileLimit > 0 {
		limits = append(limits, rlimit{unix.RLIMIT_FSIZE, uint64(fileLimit)})
	}
	for _, l := range limits {
		// Best effort: the timeout and output caps hold without it.
		_ = unix.Prlimit(pid, l.res, &unix.Rlimit{Cur: l.v, Max: l.v}, nil)
	}
	err := cmd.Wait()
	switch {
	case stdout.over:
		return nil, tooLarge("reading the PDF produced over %d MiB of output (%s), the limit", max(maxOut>>20, 1), tool)
	case ctx.Err() != nil:
		return nil, ctxError(ctx, "read PDF")
	case cctx.Err() != nil:
		return nil, &document.Error{Code: document.CodeTimeout, Message: fmt.Sprintf("reading the PDF took over %s (%s)", d.lim.CommandTimeout, tool), Err: cctx.Err()}
	case err != nil:
		return nil, popplerError(tool, err, stderr.buf.String())
	}
	return stdout.buf.Bytes(), nil
}

func popplerError(tool string, err error, stderr string) *document.Error {
	// The first line of poppler's complaint, for the log: short, and
	// about the file's structure rather than its words.
	first, _, _ := strings.Cut(strings.TrimSpace(stderr), "\n")
	cause := fmt.Errorf("run %s: %w: %.200s", tool, err, first)
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return unreadable(cause, "reading the PDF failed (%s was stopped by %s): it may be corrupt or too complex", tool, ws.Signal())
		}
		if strings.Contains(stderr, "Incorrect password") || ee.ExitCode() == 3 {
			return unreadable(cause, "the PDF is password-protected: send it without a password")
		}
	}
	return unreadable(cause, "the file starts like a PDF but is corrupt or not a PDF")
}

// capWriter keeps up to max bytes and, past them, stops the command.
type capWriter struct {
	buf    bytes.Buffer
	max    int64
	over   bool
	cancel context.CancelFunc
}

func (c *capWriter) Write(p []byte) (int, error) {
	if int64(c.buf.Len()+len(p)) > c.max {
		if c.cancel == nil { // stderr: keep the start, drop the rest
			c.buf.Write(p[:max(0, int(c.max)-c.buf.Len())])
			return len(p), nil
		}
		c.over = true
		c.cancel()
		return 0, errOutputTooLarge
	}
	return c.buf.Write(p)
}
