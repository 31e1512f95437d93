package engine

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoServiceImports keeps the reading engine free of the service: no
// HTTP, no SQL, no queue, no storage. The engine and everything it
// imports (every stage and extractor) must read bytes and nothing else.
func TestNoServiceImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	forbidden := []string{
		"net/http", "database/sql",
		"github.com/riverqueue/", "modernc.org/sqlite", "github.com/jackc/pgx",
		"gocloud.dev/",
		"github.com/atlas-oss/atlas/internal/api", "github.com/atlas-oss/atlas/internal/store",
		"github.com/atlas-oss/atlas/internal/queue", "github.com/atlas-oss/atlas/internal/blob",
		"github.com/atlas-oss/atlas/internal/fetch", "github.com/atlas-oss/atlas/internal/auth",
		"github.com/atlas-oss/atlas/internal/app",
	}
	deps := strings.Fields(string(out))
	if len(deps) < 20 {
		t.Fatalf("go list -deps gave %d packages: %q", len(deps), deps)
	}
	for _, d := range deps {
		for _, f := range forbidden {
			if d == f || strings.HasPrefix(d, f+"/") || (strings.HasSuffix(f, "/") && strings.HasPrefix(d, f)) {
				t.Errorf("the engine imports %s", d)
			}
		}
	}
}
