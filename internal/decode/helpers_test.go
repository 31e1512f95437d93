package decode

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
)

// A tiny PDF writer: enough for the test documents, each built from
// Helvetica text (one of the 14 fonts every reader has) or one image.

// buildPDF writes a PDF whose object i+1 is objs[i]; object 1 is the
// catalog.
func buildPDF(objs []string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func pdfStream(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// textPDF is a letter page with lines of 12 pt Helvetica from the top.
func textPDF(lines ...string) []byte {
	return textPDFPage("/MediaBox [0 0 612 792]", lines...)
}

// textPDFPage is textPDF with the page's boxes and rotation given.
func textPDFPage(boxes string, lines ...string) []byte {
	var c strings.Builder
	c.WriteString("BT /F1 12 Tf 72 720 Td")
	for i, l := range lines {
		if i > 0 {
			c.WriteString(" 0 -16 Td")
		}
		fmt.Fprintf(&c, " (%s) Tj", l)
	}
	c.WriteString(" ET")
	return buildPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R " + boxes + " /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		pdfStream("", []byte(c.String())),
	})
}

// imagePDF is a letter page with one gray JPEG of w x h pixels drawn
// over pw x ph points from the bottom left, and no text: a scan.
func imagePDF(jpg []byte, w, h int, pw, ph float64) []byte {
	return buildPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
		pdfStream("", fmt.Appendf(nil, "q %g 0 0 %g 0 0 cm /Im1 Do Q", pw, ph)),
		pdfStream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", w, h), jpg),
	})
}

// pagesPDF has n empty letter pages, or one page of the given MediaBox.
func pagesPDF(n int, mediaBox string) []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", ""}
	var kids []string
	for i := range n {
		kids = append(kids, fmt.Sprintf("%d 0 R", i+3))
		objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [%s] >>", mediaBox))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n)
	return buildPDF(objs)
}

// scanJPEG is a white w x h gray JPEG with black bars, like a form.
func scanJPEG(w, h int) []byte {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y := h / 10; y < h*9/10; y += h / 10 {
		for yy := y; yy < y+h/40; yy++ {
			for x := w / 10; x < w*8/10; x++ {
				img.SetGray(x, yy, color.Gray{})
			}
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 50}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// pngHeader is a PNG that declares w x h pixels in a valid IHDR and
// carries no image data worth the name.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0) // 8-bit gray
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// withExif inserts an APP1 Exif segment whose IFD0 holds Orientation o
// right after a JPEG's SOI, as a phone camera writes it.
func withExif(jpg []byte, o uint16) []byte {
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	tiff = binary.BigEndian.AppendUint16(tiff, 2) // two entries
	// An unrelated tag first (XResolution's type is wrong on purpose:
	// only 0x0112 matters).
	tiff = append(tiff, 0x01, 0x1a, 0x00, 0x03, 0, 0, 0, 1, 0, 72, 0, 0)
	tiff = append(tiff, 0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, byte(o>>8), byte(o), 0, 0)
	tiff = append(tiff, 0, 0, 0, 0) // no next IFD
	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := []byte{0xff, 0xd8, 0xff, 0xe1}
	out = binary.BigEndian.AppendUint16(out, uint16(len(seg)+2))
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// tiffFrames writes an uncompressed little-endian gray TIFF with one
// IFD per frame, each with an Orientation tag when orients[i] > 0.
func tiffFrames(frames []*image.Gray, orients []uint16) []byte {
	b := []byte("II\x2a\x00\x00\x00\x00\x00")
	le := binary.LittleEndian
	prevNext := 4 // where the offset of the next IFD goes
	for i, f := range frames {
		w, h := f.Rect.Dx(), f.Rect.Dy()
		strip := len(b)
		b = append(b, f.Pix...)
		if len(b)%2 == 1 {
			b = append(b, 0)
		}
		le.PutUint32(b[prevNext:], uint32(len(b)))
		type ent struct{ tag, typ, val uint32 }
		ents := []ent{{256, 4, uint32(w)}, {257, 4, uint32(h)}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1}, {273, 4, uint32(strip)}}
		if orients[i] > 0 {
			ents = append(ents, ent{274, 3, uint32(orients[i])})
		}
		ents = append(ents, ent{278, 4, uint32(h)}, ent{279, 4, uint32(w * h)})
		b = le.AppendUint16(b, uint16(len(ents)))
		for _, e := range ents {
			b = le.AppendUint16(b, uint16(e.tag))
			b = le.AppendUint16(b, uint16(e.typ))
			b = le.AppendUint32(b, 1)
			if e.typ == 3 {
				b = le.AppendUint16(b, uint16(e.val))
				b = le.AppendUint16(b, 0)
			} else {
				b = le.AppendUint32(b, e.val)
			}
		}
		prevNext = len(b)
		b = le.AppendUint32(b, 0)
	}
	return b
}
