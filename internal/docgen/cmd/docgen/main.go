// Command docgen writes synthetic PAN and Aadhaar images with their ground
// truth (NAME.json beside each NAME.png or NAME.jpeg), for looking at the
// generator's output and for evaluating atlas.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
)

func main() {
	out := flag.String("out", "docgen-out", "directory to write the images and their .json ground truth to")
	n := flag.Int("n", 5, "samples per type and condition")
	seed := flag.Int64("seed", 1, "seed of the first sample; sample i uses seed+i (the same person under every condition)")
	types := flag.String("types", "PAN,AADHAAR", "comma-separated document types")
	conds := flag.String("conditions", "clean,scan,photo,rotated", "comma-separated conditions")
	flag.Parse()
	if err := run(*out, *n, *seed, split(*types), split(*conds)); err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(1)
	}
}

func split(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func run(dir string, n int, seed int64, types, conds []string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	for i := range n {
		for _, t := range types {
			for _, c := range conds {
				s, err := docgen.Generate(seed+int64(i), document.Type(strings.ToUpper(t)), docgen.Condition(strings.ToLower(c)))
				if err != nil {
					return err
				}
				ext := s.Format
				if ext == "jpeg" {
					ext = "jpg"
				}
				name := fmt.Sprintf("%s-%s-%d", strings.ToLower(string(s.Type)), s.Condition, s.Seed)
				if err := os.WriteFile(filepath.Join(dir, name+"."+ext), s.Data, 0o644); err != nil {
					return fmt.Errorf("write image: %w", err)
				}
				meta, err := json.MarshalIndent(struct {
					File string `json:"file"`
					*docgen.Sample
				}{name + "." + ext, s}, "", "  ")
				if err != nil {
					return fmt.Errorf("marshal ground truth: %w", err)
				}
				if err := os.WriteFile(filepath.Join(dir, name+".json"), append(meta, '\n'), 0o644); err != nil {
					return fmt.Errorf("write ground truth: %w", err)
				}
			}
		}
	}
	return nil
}
