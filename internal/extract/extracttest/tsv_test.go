package extracttest

import (
	"image"
	"strings"
	"testing"
)

func TestParseTSV(t *testing.T) {
	tsv := "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n" +
		"1\t1\t0\t0\t0\t0\t0\t0\t1011\t638\t-1\t\n" +
		"4\t1\t1\t1\t1\t0\t41\t59\t400\t20\t-1\t\n" +
		"5\t1\t1\t1\t1\t1\t41\t59\t108\t20\t96.5\tINCOME\n" +
		"5\t1\t1\t1\t1\t2\t156\t59\t52\t19\t95\t \n" +
		"5\t1\t1\t1\t2\t1\t41\t90\t52\t19\t0\tTAX\n"
	p, err := ParseTSV(strings.NewReader(tsv))
	if err != nil {
		t.Fatal(err)
	}
	if p.Width != 1011 || p.Height != 638 || len(p.Words) != 2 {
		t.Fatalf("page %dx%d with %d words", p.Width, p.Height, len(p.Words))
	}
	w := p.Words[0]
	if w.Text != "INCOME" || w.Conf != 0.965 || w.Box != image.Rect(41, 59, 149, 79) || w.Line != 1 {
		t.Errorf("word = %+v", w)
	}
	if _, err := ParseTSV(strings.NewReader("5\t1\tx\t1\t1\t1\t1\t1\t1\t1\t1\tA\n")); err == nil {
		t.Error("want an error for a malformed row")
	}
}
