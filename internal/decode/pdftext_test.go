package decode

import (
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
)

// TestDecodeTextPDFWithoutPDFInfo proves a PDF whose pages all carry
// text, and which cannot turn a page, costs pdftotext alone; one that may
// turn a page still asks pdfinfo.
func TestDecodeTextPDFWithoutPDFInfo(t *testing.T) {
	d := pdfDecoder(t, Limits{})
	d.tools["pdfinfo"] = "/nonexistent/pdfinfo"
	got, err := d.Decode(t.Context(), readTestdata(t, "text.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if p := got.Pages[0].TextLayer; p == nil || p.Width != 2550 || p.Height != 3300 {
		t.Fatalf("got %+v, want a 2550 x 3300 text page", got.Pages[0])
	}
	if _, err = d.Decode(t.Context(), readTestdata(t, "rotated.pdf")); err == nil {
		t.Error("rotated.pdf decoded without pdfinfo, want it to ask for its rotation")
	}
}

// TestDecodePDFPageLimit checks a PDF far over a small page limit is
// refused with its true page count, read to one page past the limit.
func TestDecodePDFPageLimit(t *testing.T) {
	_, err := pdfDecoder(t, Limits{MaxPages: 3}).Decode(t.Context(), readTestdata(t, "many_pages.pdf"))
	wantCode(t, err, document.CodeTooLarge, "the PDF has 101 pages, over the limit of 3")
}

func TestMayRotate(t *testing.T) {
	tests := []struct {
		data string
		want bool
	}{
		{"<< /Type /Page /MediaBox [0 0 612 792] >>", false},
		{"<< /Type /Page /Rotate 90 >>", true},
		{"<< /Type /Pages /Rotate 0 >>", true},
		{"<< /Type /ObjStm /N 3 /First 20 >>", true},
	}
	for _, tt := range tests {
		if got := mayRotate([]byte(tt.data)); got != tt.want {
			t.Errorf("mayRotate(%q) = %v, want %v", tt.data, got, tt.want)
		}
	}
}

// TestParseBBoxLayoutStructure checks only pages inside the body's doc
// count: a page element elsewhere (metadata poppler failed to escape, or
// a forged one) adds no page and no size.
func TestParseBBoxLayoutStructure(t *testing.T) {
	out := `<html><head><title>x</title><page width="200000" height="200000"><word xMin="1" yMin="1" xMax="2" yMax="2">forged</word></page></head>` +
		`<body><doc><page width="612" height="792"><flow><block><line><word xMin="72" yMin="60" xMax="120" yMax="72">Page</word></line></block></flow></page></doc>` +
		`<page width="300000" height="1"></page></body></html>`
	pages, err := parseBBoxLayout([]byte(out), 300.0/72)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 1 || pages[0].Width != 2550 || pages[0].Height != 3300 || len(pages[0].Words) != 1 || pages[0].Words[0].Text != "Page" {
		t.Errorf("got %+v, want one 2550 x 3300 page with the word Page", pages)
	}
}
