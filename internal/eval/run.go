package eval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
)

// Reader reads one document; *engine.Engine is one. A failure of the
// document itself is a *document.Error.
type Reader interface {
	Read(ctx context.Context, data []byte) (*document.FileData, []document.Page, error)
}

// Sample is one document of a corpus and its truth.
type Sample struct {
	Name  string
	Data  []byte
	Truth Truth
}

// Generated yields n documents of each type under each condition, drawn by
// docgen from seeds seed, seed+1, ... (the same person under every
// condition), one at a time so that the corpus is never all in memory.
func Generated(n int, seed int64, types []document.Type, conds []docgen.Condition) iter.Seq2[Sample, error] {
	return func(yield func(Sample, error) bool) {
		for i := range n {
			for _, t := range types {
				for _, c := range conds {
					s, err := docgen.Generate(seed+int64(i), t, c)
					if errors.Is(err, docgen.ErrUnsupported) {
						continue // e.g. a bank statement "photo"
					}
					if err != nil {
						yield(Sample{}, fmt.Errorf("generate sample: %w", err))
						return
					}
					name := fmt.Sprintf("%s-%s-%d", strings.ToLower(string(t)), c, s.Seed)
					if !yield(Sample{Name: name, Data: s.Data, Truth: Truth{Type: t, Condition: string(c), Layout: s.Layout, Fields: s.Truth}}, nil) {
						return
					}
				}
			}
		}
	}
}

// groundTruth is the NAME.json that internal/docgen/cmd/docgen writes
// beside each image.
type groundTruth struct {
	File      string            `json:"file"`
	Type      document.Type     `json:"document_type"`
	Condition string            `json:"condition"`
	Layout    string            `json:"layout"`
	Truth     map[string]string `json:"truth"`
}

// FromDir yields the documents of dir that have a NAME.json ground truth,
// in name order, keeping those of the given types and conditions (all
// when a list is empty).
func FromDir(dir string, types []document.Type, conds []docgen.Condition) iter.Seq2[Sample, error] {
	return func(yield func(Sample, error) bool) {
		metas, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			yield(Sample{}, fmt.Errorf("list ground truth: %w", err))
			return
		}
		if len(metas) == 0 {
			yield(Sample{}, fmt.Errorf("list ground truth: no NAME.json files in %s", dir))
			return
		}
		slices.Sort(metas)
		for _, m := range metas {
			s, err := loadSample(m)
			if err != nil {
				yield(Sample{}, err)
				return
			}
			if len(types) > 0 && !slices.Contains(types, s.Truth.Type) ||
				len(conds) > 0 && !slices.Contains(conds, docgen.Condition(s.Truth.Condition)) {
				continue
			}
			if !yield(s, nil) {
				return
			}
		}
	}
}

func loadSample(meta string) (Sample, error) {
	raw, err := os.ReadFile(meta)
	if err != nil {
		return Sample{}, fmt.Errorf("read ground truth: %w", err)
	}
	var gt groundTruth
	if err := json.Unmarshal(raw, &gt); err != nil {
		return Sample{}, fmt.Errorf("parse ground truth %s: %w", filepath.Base(meta), err)
	}
	if gt.File == "" || gt.Type == "" || filepath.Base(gt.File) != gt.File {
		return Sample{}, fmt.Errorf("parse ground truth %s: want file (a name in the same directory) and document_type", filepath.Base(meta))
	}
	data, err := os.ReadFile(filepath.Join(filepath.Dir(meta), gt.File))
	if err != nil {
		return Sample{}, fmt.Errorf("read document: %w", err)
	}
	return Sample{
		Name:  strings.TrimSuffix(filepath.Base(meta), ".json"),
		Data:  data,
		Truth: Truth{Type: gt.Type, Condition: gt.Condition, Layout: gt.Layout, Fields: gt.Truth},
	}, nil
}

// Run reads every sample with r, one at a time, and scores it. A document
// that fails (a *document.Error) scores as nothing returned, under its
// error code; any other error stops the run.
func Run(ctx context.Context, r Reader, samples iter.Seq2[Sample, error]) ([]DocScore, error) {
	return RunParallel(ctx, r, samples, 1)
}

// RunParallel is Run with up to workers documents read at once (r must be
// safe for concurrent use, as the engine is). Scores keep the samples'
// order; a document's Seconds is its own reading time.
func RunParallel(ctx context.Context, r Reader, samples iter.Seq2[Sample, error], workers int) ([]DocScore, error) {
	type job struct {
		i int
		s Sample
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		mu     sync.Mutex
		scores []DocScore
		wg     sync.WaitGroup
		jobs   = make(chan job)
	)
	for range max(workers, 1) {
		wg.Go(func() {
			for j := range jobs {
				start := time.Now()
				fd, _, err := r.Read(ctx, j.s.Data)
				elapsed := time.Since(start)
				var de *document.Error
				if err != nil && !errors.As(err, &de) {
					cancel(fmt.Errorf("read %s: %w", j.s.Name, err))
					continue
				}
				sc := Score(j.s.Truth, fd, err)
				sc.Seconds = elapsed.Seconds()
				mu.Lock()
				scores[j.i] = sc
				mu.Unlock()
			}
		})
	}
	var genErr error
	i := 0
	for s, err := range samples {
		if err != nil {
			genErr = err
			break
		}
		mu.Lock()
		scores = append(scores, DocScore{})
		mu.Unlock()
		select {
		case jobs <- job{i, s}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		i++
	}
	close(jobs)
	wg.Wait()
	if cause := context.Cause(ctx); cause != nil && genErr == nil {
		genErr = cause
	}
	mu.Lock()
	defer mu.Unlock()
	if genErr != nil {
		return scores[:i], genErr
	}
	return scores, nil
}
