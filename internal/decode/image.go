package decode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"strconv"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
	"golang.org/x/image/webp"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/pipeline"
)

type codec struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

// Codecs are called directly, not through image.Decode, so that a format
// registered elsewhere in the binary cannot widen what untrusted bytes
// reach.
var codecs = map[string]codec{
	"jpeg": {jpeg.DecodeConfig, jpeg.Decode},
	"png":  {png.DecodeConfig, png.Decode},
	"webp": {webp.DecodeConfig, webp.Decode},
	"tiff": {tiff.DecodeConfig, tiff.Decode},
	"bmp":  {bmp.DecodeConfig, bmp.Decode},
}

func (d *Decoder) decodeImage(format string, data []byte) ([]pipeline.DecodedPage, error) {
	if format == "tiff" {
		return d.decodeTIFF(data)
	}
	img, err := d.decodeOne(format, bytes.NewReader(data), 0)
	if err != nil {
		return nil, err
	}
	if format == "jpeg" {
		img = orient(img, jpegOrientation(data))
	}
	return []pipeline.DecodedPage{{Image: img}}, nil
}

// decodeOne checks the image's declared size against the limits, then
// decodes it. page is 0 for a single image.
func (d *Decoder) decodeOne(format string, r io.Reader, page int) (image.Image, error) {
	c := codecs[format]
	where := "the image"
	if page > 0 {
		where = "page " + strconv.Itoa(page)
	}
	cfg, err := c.config(r)
	if err != nil {
		return nil, decodeError(format, where, err)
	}
	if err := d.checkSize(where, cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	if s, ok := r.(io.Seeker); ok {
		if _, err := s.Seek(0, io.SeekStart); err != nil {
			return nil, unreadable(err, "could not read %s", where)
		}
	}
	img, err := c.decode(r)
	if err != nil {
		return nil, decodeError(format, where, err)
	}
	return img, nil
}

// checkSize refuses an image before it is allocated: a few hundred bytes
// of PNG may declare 100000 x 100000 pixels.
func (d *Decoder) checkSize(where string, w, h int) error {
	if w <= 0 || h <= 0 {
		return unreadable(nil, "%s has no pixels (%d x %d)", where, w, h)
	}
	if int64(w)*int64(h) > int64(d.lim.MaxPixels) {
		return tooLarge("%s is %d x %d pixels (%.1f megapixels), over the limit of %.1f megapixels", where, w, h, float64(w)*float64(h)/1e6, float64(d.lim.MaxPixels)/1e6)
	}
	if w > d.lim.MaxSide || h > d.lim.MaxSide {
		return tooLarge("%s is %d x %d pixels: a side is over the limit of %d pixels", where, w, h, d.lim.MaxSide)
	}
	return nil
}

func decodeError(format, where string, err error) *document.Error {
	var (
		je jpeg.UnsupportedError
		pe png.UnsupportedError
		te tiff.UnsupportedError
	)
	if errors.As(err, &je) || errors.As(err, &pe) || errors.As(err, &te) || errors.Is(err, bmp.ErrUnsupported) {
		e := document.Errorf(document.CodeUnsupportedFormat, "%s uses a %s feature atlas cannot read: convert it to PDF, JPEG or PNG", where, format)
		e.Err = err
		return e
	}
	return unreadable(err, "%s is corrupt or truncated (%s)", where, format)
}

// TIFF frames: x/image/tiff decodes only the IFD the header points at, but
// it reads through io.ReaderAt, so each frame is decoded cheaply by
// presenting the same bytes with the header's IFD offset replaced. Every
// frame becomes a page.
func (d *Decoder) decodeTIFF(data []byte) ([]pipeline.DecodedPage, error) {
	ifds, orients, err := tiffIFDs(data, d.lim.MaxPages)
	if err != nil {
		return nil, err
	}
	var pages []pipeline.DecodedPage
	var total int64
	for i, off := range ifds {
		page := 0
		if len(ifds) > 1 {
			page = i + 1
		}
		img, err := d.decodeOne("tiff", &frameReader{data: data, off: off}, page)
		if err != nil {
			return nil, err
		}
		b := img.Bounds()
		total += int64(b.Dx()) * int64(b.Dy())
		if total > d.lim.MaxTotalPixels {
			return nil, tooLarge("the TIFF's pages add up to over %.0f megapixels, the limit", float64(d.lim.MaxTotalPixels)/1e6)
		}
		pages = append(pages, pipeline.DecodedPage{Image: orient(img, orients[i])})
	}
	return pages, nil
}

// tiffIFDs walks the TIFF's chain of image directories and returns their
// offsets and orientation tags (1 when absent).
func tiffIFDs(data []byte, maxPages int) (offs []uint32, orients []int, err error) {
	if len(data) < 8 {
		return nil, nil, unreadable(nil, "the TIFF is truncated")
	}
	bo := byteOrder(data[:2])
	seen := map[uint32]bool{}
	off := bo.Uint32(data[4:8])
	for off != 0 {
		if seen[off] {
			break // a loop in the chain: keep the frames found so far
		}
		seen[off] = true
		if len(offs) == maxPages {
			return nil, nil, tooLarge("the TIFF has more than %d pages, the limit", maxPages)
		}
		o, next, ok := readIFD(data, bo, off)
		if !ok {
			if len(offs) == 0 {
				return nil, nil, unreadable(nil, "the TIFF is corrupt or truncated")
			}
			break
		}
		offs = append(offs, off)
		orients = append(orients, o)
		off = next
	}
	if len(offs) == 0 {
		return nil, nil, unreadable(nil, "the TIFF has no images")
	}
	return offs, orients, nil
}

func byteOrder(mark []byte) binary.ByteOrder {
	if string(mark) == "MM" {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// frameReader is data with the TIFF header's first-IFD offset replaced by
// off, without copying data.
type frameReader struct {
	data []byte
	off  uint32
	pos  int64
}

func (f *frameReader) ReadAt(p []byte, at int64) (int, error) {
	if at < 0 {
		return 0, errors.New("negative offset")
	}
	if at >= int64(len(f.data)) {
		return 0, io.EOF
	}
	n := copy(p, f.data[at:])
	var hdr [4]byte
	byteOrder(f.data[:2]).PutUint32(hdr[:], f.off)
	for i := range n {
		if j := at + int64(i); j >= 4 && j < 8 {
			p[i] = hdr[j-4]
		}
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (f *frameReader) Read(p []byte) (int, error) {
	n, err := f.ReadAt(p, f.pos)
	f.pos += int64(n)
	return n, err
}

func (f *frameReader) Seek(off int64, whence int) (int64, error) {
	if whence != io.SeekStart || off < 0 {
		return 0, errors.New("frameReader: only absolute seeks")
	}
	f.pos = off
	return off, nil
}
