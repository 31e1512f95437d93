//go:build race

package quality

// perClass is smaller under the race detector, which makes rendering the
// synthetic set about 15 times slower; Assess's logic is the same.
const perClass = 4
