package match

import "testing"

// TestNames is the verdict on pairs of names as Indian documents print
// them, with the default thresholds.
func TestNames(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want Verdict
	}{
		// Word order, initials, honorifics.
		{"D MANIKANDAN DURAISAMY", "Manikandan Duraisamy D", Match},
		{"Manikandan Duraisamy", "MANIKANDAN DURAISAMY", Match},
		{"Shri Ravi Kumar Sharma", "RAVI KUMAR SHARMA", Match},
		{"Mr. Anil Gupta", "Gupta Anil", Match},
		{"Smt. Sunita Devi", "SUNITA DEVI", Match},
		{"R K Sharma", "Rajesh Kumar Sharma", Match},
		{"RK Sharma", "Rajesh Kumar Sharma", Match},
		{"K. Venkatesh", "Venkatesh K", Match},
		{"Thiru. S. Murugan", "MURUGAN S", Match},
		{"Dr Priya Nair", "PRIYA NAIR", Match},
		// A missing middle name or surname word.
		{"Ravi Kumar Sharma", "Ravi Sharma", Match},
		{"Rajesh Kumar Singh", "Rajesh Singh", Match},
		{"Ravi", "Ravi Kumar", Match},
		{"Mohammed Irfan Khan", "Md Irfan Khan", Match},
		{"Arjun Singh Rathore", "ARJUN RATHORE", Match},
		// Spelling variants.
		{"Lakshmi Narayanan", "Laxmi Narayanan", Match},
		{"Mohammed Salim", "Mohammad Saleem", Match},
		{"Srinivasan Iyer", "Shrinivasan Iyer", Match},
		{"Duraisamy Palani", "Duraiswamy Palani", Match},
		{"Sheetal Jadhav", "Shital Jadhav", Match},
		{"Pooja Verma", "Puja Verma", Match},
		{"Vijay Deshmukh", "Vijai Deshmukh", Match},
		{"Kavitha Raghavan", "Kavita Ragavan", Match},
		{"Mukesh Chaudhary", "Mukesh Choudhary", Match},
		// Relation markers end the name.
		{"Ravi Kumar S/O Suresh Kumar", "Ravi Kumar", Match},
		{"Meena W/O Ramesh Patil", "Meena Patil", Review},
		// Too little to tell.
		{"Anil", "Anil Kumar Gupta", Review},
		{"Sunita Devi", "Sunita Kumari", Review},
		{"Venkata Sai Krishna Reddy", "Venkata Reddy", Review},
		// Different people.
		{"Manikandan", "Mohan Kumar", Mismatch},
		{"Ravi Sharma", "Ravi Verma", Mismatch},
		{"Priya Sharma", "Priya Verma", Mismatch},
		{"Ramesh Patil", "Rajesh Patil", Mismatch},
		{"R Sharma", "Suresh Sharma", Mismatch},
		{"Ravi Kumar", "Suresh Kumar", Mismatch},
		{"Anita Desai", "Sunil Mehta", Mismatch},
		{"Rahul Jain", "Rohit Jain", Mismatch},
		{"Kumar", "Kumar", Mismatch}, // "Kumar" alone says nothing
		{"A B", "A B", Mismatch},     // nor do initials alone
		{"Ravi", "Rani", Mismatch},
		{"Mohan Lal", "Sohan Lal", Mismatch},
		{"Deepak Singh", "Deepika Singh", Mismatch},
		{"", "Ravi Kumar", Mismatch},
		{"Mr.", "Ravi", Mismatch},
	} {
		score := NameScore(tc.a, tc.b)
		if got := (Thresholds{}).Verdict(score); got != tc.want {
			t.Errorf("NameScore(%q, %q) = %.2f: %s, want %s", tc.a, tc.b, score, got, tc.want)
		}
		if r := NameScore(tc.b, tc.a); r != score {
			t.Errorf("NameScore(%q, %q) = %.2f, but %.2f the other way round", tc.b, tc.a, r, score)
		}
	}
}

func TestThresholds(t *testing.T) {
	th := Thresholds{Match: 0.95, Review: 0.9}
	for _, tc := range []struct {
		score float64
		want  Verdict
	}{{0.96, Match}, {0.95, Match}, {0.92, Review}, {0.89, Mismatch}} {
		if got := th.Verdict(tc.score); got != tc.want {
			t.Errorf("Verdict(%.2f) = %s, want %s", tc.score, got, tc.want)
		}
	}
}

func FuzzNameScore(f *testing.F) {
	for _, s := range []string{"D MANIKANDAN DURAISAMY", "R K Sharma", "S/O", "Mr.", "", "ा", "AAAA BBBB"} {
		f.Add(s, "Manikandan Duraisamy D")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if s := NameScore(a, b); s < 0 || s > 1 {
			t.Errorf("NameScore(%q, %q) = %v, out of [0, 1]", a, b, s)
		}
	})
}
