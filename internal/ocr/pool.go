package ocr

import (
	"context"
	"fmt"
	"image"
	"runtime"
	"sync"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/pipeline"
)

// Pool shares a fixed set of engines between workers. Measured on 2 cores,
// one engine per core is the fastest: more engines only contend. A Pool is
// safe for concurrent use, and is itself a Recognizer.
type Pool struct {
	idle chan *Engine
	n    int

	mu     sync.Mutex
	closed bool
}

var _ pipeline.Recognizer = (*Pool)(nil)

// NewPool loads n engines with cfg; n <= 0 means one per usable core
// (GOMAXPROCS). It loads them all now, so that a missing language fails at
// startup rather than on the first document.
func NewPool(n int, cfg Config) (*Pool, error) {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	p := &Pool{idle: make(chan *Engine, n), n: n}
	for range n {
		e, err := New(cfg)
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("new ocr pool: %w", err)
		}
		p.idle <- e
	}
	return p, nil
}

// Size returns the number of engines in the pool.
func (p *Pool) Size() int { return p.n }

// Get takes an engine, waiting until one is free or ctx is done. The
// caller must Put it back.
func (p *Pool) Get(ctx context.Context) (*Engine, error) {
	select {
	case e, ok := <-p.idle:
		if !ok {
			return nil, ErrClosed
		}
		return e, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("get ocr engine: %w", context.Cause(ctx))
	}
}

// Put returns an engine taken with Get. After Close, it closes it instead.
func (p *Pool) Put(e *Engine) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		e.Close()
		return
	}
	p.idle <- e // never blocks: the channel holds every engine
}

// Close closes the idle engines now and the others as they are put back.
// Get then fails with ErrClosed.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	close(p.idle)
	for e := range p.idle {
		e.Close()
	}
}

// Ready reports whether the pool can read pages, for a readiness probe:
// ErrClosed after Close, nil otherwise. Engines busy with other pages still
// count as ready: a request then waits in Get.
func (p *Pool) Ready() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	return nil
}

// Recognize reads one page with a free engine (see Engine.Recognize).
func (p *Pool) Recognize(ctx context.Context, img image.Image) (document.Page, error) {
	e, err := p.Get(ctx)
	if err != nil {
		return document.Page{Source: "ocr"}, err
	}
	defer p.Put(e)
	return e.Recognize(ctx, img)
}
