// Package apitest checks HTTP responses against the OpenAPI document, for
// the API's own tests and the end-to-end tests.
package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/atlas-oss/atlas/internal/api"
)

var (
	once     sync.Once
	spec     map[string]any
	compiler *jsonschema.Compiler
	loadErr  error
	schemas  sync.Map // pointer -> *jsonschema.Schema
)

func load() {
	var y any
	if loadErr = yaml.Unmarshal(api.OpenAPI(), &y); loadErr != nil {
		return
	}
	// Round-trip through JSON so the document has only JSON types.
	b, err := json.Marshal(y)
	if err != nil {
		loadErr = err
		return
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		loadErr = err
		return
	}
	json.Unmarshal(b, &spec)
	compiler = jsonschema.NewCompiler()
	compiler.DefaultDraft(jsonschema.Draft2020)
	loadErr = compiler.AddResource("openapi.json", doc)
}

// Spec returns the parsed OpenAPI document.
func Spec(t testing.TB) map[string]any {
	t.Helper()
	once.Do(load)
	if loadErr != nil {
		t.Fatalf("load openapi.yaml: %v", loadErr)
	}
	return spec
}

// CheckResponse fails t unless the spec documents method and path (the
// spec's path template) with resp's status, and the JSON body matches the
// response schema. It returns the body for further assertions.
func CheckResponse(t testing.TB, method, path string, resp *http.Response) []byte {
	t.Helper()
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	s := Spec(t)
	op, ok := dig(s, "paths", path, strings.ToLower(method)).(map[string]any)
	if !ok {
		t.Fatalf("openapi.yaml has no %s %s", method, path)
	}
	status := strconv.Itoa(resp.StatusCode)
	r, ok := dig(op, "responses", status).(map[string]any)
	if !ok {
		t.Fatalf("openapi.yaml: %s %s does not document status %s (body %s)", method, path, status, body)
	}
	ptr := fmt.Sprintf("#/paths/%s/%s/responses/%s", escape(path), strings.ToLower(method), status)
	if ref, ok := r["$ref"].(string); ok {
		ptr = ref
		r, _ = dig(s, refPath(ref)...).(map[string]any)
	}
	content, _ := r["content"].(map[string]any)
	if _, ok := content["application/json"]; !ok {
		return body
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s %s %s: Content-Type %q, the spec says application/json", method, path, status, ct)
	}
	sch := schemaAt(t, ptr+"/content/application~1json/schema")
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s %s %s: body is not JSON: %v", method, path, status, err)
	}
	if err := sch.Validate(v); err != nil {
		t.Fatalf("%s %s %s: body does not match openapi.yaml: %v\nbody: %.2000s", method, path, status, err, body)
	}
	return body
}

func schemaAt(t testing.TB, ptr string) *jsonschema.Schema {
	t.Helper()
	if s, ok := schemas.Load(ptr); ok {
		return s.(*jsonschema.Schema)
	}
	s, err := compiler.Compile("openapi.json" + ptr)
	if err != nil {
		t.Fatalf("compile schema %s: %v", ptr, err)
	}
	schemas.Store(ptr, s)
	return s
}

func escape(p string) string {
	return strings.ReplaceAll(strings.ReplaceAll(p, "~", "~0"), "/", "~1")
}

func refPath(ref string) []string {
	parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
	}
	return parts
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
