// Package extracttest loads recorded OCR output (Tesseract TSV) and docgen
// ground truth for the extractor and classifier tests, so they run without
// Tesseract and give the same answer every time.
package extracttest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
)

// ParseTSV reads `tesseract img - tsv` output into one page: the level-5
// (word) rows with their boxes, line numbers and confidences (0-100 scaled
// to 0-1). Empty words are dropped.
func ParseTSV(r io.Reader) (document.Page, error) {
	p := document.Page{Number: 1, Source: "ocr"}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	first := true
	for sc.Scan() {
		if first {
			first = false
			if strings.HasPrefix(sc.Text(), "level") {
				continue
			}
		}
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 12 {
			continue
		}
		n := make([]int, 10)
		for i := range 10 {
			v, err := strconv.Atoi(c[i])
			if err != nil {
				return p, fmt.Errorf("parse tsv column %d: %w", i, err)
			}
			n[i] = v
		}
		conf, err := strconv.ParseFloat(c[10], 64)
		if err != nil {
			return p, fmt.Errorf("parse tsv confidence: %w", err)
		}
		if n[0] == 1 {
			p.Width, p.Height = n[8], n[9]
		}
		text := strings.TrimSpace(strings.Join(c[11:], "\t"))
		if n[0] != 5 || text == "" {
			continue
		}
		p.Words = append(p.Words, document.Word{
			Text:  text,
			Conf:  max(0, conf) / 100,
			Box:   image.Rect(n[6], n[7], n[6]+n[8], n[7]+n[9]),
			Block: n[2], Para: n[3], Line: n[4],
		})
	}
	if err := sc.Err(); err != nil {
		return p, fmt.Errorf("read tsv: %w", err)
	}
	return p, nil
}

// LoadTSV reads one recorded page from a TSV file.
func LoadTSV(path string) ([]document.Page, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open tsv: %w", err)
	}
	defer f.Close()
	p, err := ParseTSV(f)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return []document.Page{p}, nil
}

// Truth is a sample's ground truth as recorded next to its TSV.
type Truth struct {
	Seed      int64             `json:"seed"`
	Type      document.Type     `json:"document_type"`
	Condition string            `json:"condition"`
	Layout    string            `json:"layout"`
	Rotation  int               `json:"rotation"`
	Truth     map[string]string `json:"truth"`
}

// LoadTruth reads a truth JSON file.
func LoadTruth(path string) (Truth, error) {
	var t Truth
	b, err := os.ReadFile(path)
	if err != nil {
		return t, fmt.Errorf("read truth: %w", err)
	}
	if err := json.Unmarshal(b, &t); err != nil {
		return t, fmt.Errorf("decode truth %s: %w", path, err)
	}
	return t, nil
}
