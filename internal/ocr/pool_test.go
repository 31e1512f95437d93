package ocr

import (
	"context"
	"errors"
	"image"
	"sync"
	"testing"
)

func TestPool(t *testing.T) {
	p, err := NewPool(2, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.Ready(); err != nil {
		t.Fatalf("Ready() = %v", err)
	}
	a, err := p.Get(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Get(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatal("Get handed out one engine twice")
	}

	// Both engines are out: Get waits, until its context ends.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := p.Get(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Get on an exhausted pool = %v, want context.Canceled", err)
	}

	p.Put(a)
	if c, err := p.Get(t.Context()); err != nil || c != a {
		t.Errorf("Get after Put = %p, %v, want the engine put back", c, err)
	} else {
		p.Put(c)
	}

	p.Close()
	if err := p.Ready(); !errors.Is(err, ErrClosed) {
		t.Errorf("Ready() after Close = %v, want ErrClosed", err)
	}
	if _, err := p.Get(t.Context()); !errors.Is(err, ErrClosed) {
		t.Errorf("Get after Close = %v, want ErrClosed", err)
	}
	p.Put(b) // an engine out during Close is closed when it comes back
	if b.main != nil {
		t.Error("engine put back after Close was not closed")
	}
	p.Close()
}

func TestPoolRecognizeConcurrent(t *testing.T) {
	p, err := NewPool(2, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.Size() != 2 {
		t.Errorf("Size() = %d, want 2", p.Size())
	}
	// Blank pages are cheap to read; four workers share two engines.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = p.Recognize(t.Context(), image.NewGray(image.Rect(0, 0, 300, 200)))
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Error(err)
	}
}

func TestNewPoolBadLanguage(t *testing.T) {
	_, err := NewPool(1, Config{Languages: "xx-none"})
	if !errors.Is(err, ErrInit) {
		t.Errorf("NewPool with a missing language = %v, want ErrInit", err)
	}
}
