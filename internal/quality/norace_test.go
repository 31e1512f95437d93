//go:build !race

package quality

// perClass is the number of synthetic captures of each class.
const perClass = 10
