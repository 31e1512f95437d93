package extracttest

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
)

// Compare checks an extraction against ground truth, field by field: for
// each truth field whether the extracted value equals it (white space
// collapsed), and for each extracted field the truth does not have, a
// miss named "extra:NAME" (a value where the document has none).
// formatted_address is not in the truth and is not compared.
func Compare(fd *document.FileData, truth map[string]string) map[string]bool {
	out := map[string]bool{}
	for k, want := range truth {
		f, ok := fd.Get(k)
		got, isString := f.Value.(string)
		if !isString {
			// Lists and objects (transactions) are compared as JSON.
			b, _ := json.Marshal(f.Value)
			got = string(b)
		}
		out[k] = ok && norm(got) == norm(want)
	}
	for _, k := range fd.Names() {
		if _, ok := truth[k]; !ok && k != "formatted_address" {
			out["extra:"+k] = false
		}
	}
	return out
}

func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

// Value returns a field's value as text ("" when absent) and the field.
func Value(fd *document.FileData, name string) (string, document.Field) {
	f, ok := fd.Get(name)
	if !ok {
		return "", f
	}
	return fmt.Sprint(f.Value), f
}
