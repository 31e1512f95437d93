package match

import (
	"cmp"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/atlas-oss/atlas/internal/extract"
)

// AddressComparison is what CompareAddresses found.
type AddressComparison struct {
	// Similarity is how alike the two addresses read, 0-100.
	Similarity float64
	// SamePerson is how likely the two addresses are one household's
	// (same house, same locality, same PIN), 0-100.
	SamePerson float64
	// PINMatch is "match", "mismatch" or "" when either address has no
	// 6-digit PIN code.
	PINMatch string
}

// The values of AddressComparison.PINMatch.
const (
	PINMatched    = "match"
	PINMismatched = "mismatch"
)

// MaxAddressBytes bounds what CompareAddresses reads of each address:
// beyond it the text is ignored, so a huge input costs no more than a
// long address. Printed addresses are a few hundred bytes.
const MaxAddressBytes = 2000

// maxAddressTokens bounds the words compared, for the same reason.
const maxAddressTokens = 200

// AddressVerdict is the verdict on c with thresholds t, from its
// SamePerson score (scaled to [0, 1]): the cross-checks ask whether two
// documents give one household's address, not whether they read alike.
func AddressVerdict(c AddressComparison, t Thresholds) Verdict {
	return t.Verdict(c.SamePerson / 100)
}

// CompareAddresses compares two addresses as Indian documents print them.
// It is robust to case, punctuation, abbreviations (RD, NGR, H.NO ...),
// relation prefixes ("S/O <name>", the name is dropped), state codes,
// old and new town names (BOMBAY, MUMBAI), one-letter slips, word order,
// and parts one address has and the other lacks (landmark, district,
// state, "INDIA"). A different house number or PIN code lowers SamePerson
// sharply. It is symmetric: the arguments are put in a fixed order first.
func CompareAddresses(a, b string) AddressComparison {
	if a > b {
		a, b = b, a
	}
	pa, pb := parseAddress(a), parseAddress(b)
	var c AddressComparison
	switch {
	case pa.pin == "" || pb.pin == "":
	case pa.pin == pb.pin:
		c.PINMatch = PINMatched
	default:
		c.PINMatch = PINMismatched
	}
	m := pair(pa.tokens, pb.tokens)
	c.Similarity = round1(100 * similarity(pa.tokens, pb.tokens, m))
	c.SamePerson = round1(100 * samePerson(pa, pb, m))
	return c
}

// tokenKind says how a token is compared.
type tokenKind int

const (
	kindWord   tokenKind = iota // compared with spelling tolerance
	kindNumber                  // a house, flat, street or sector number: exact
	kindPIN                     // the PIN code: exact
	kindState                   // a state, as its code: exact
)

// addrToken is one word of an address, expanded and normalised.
type addrToken struct {
	text   string
	folded string
	kind   tokenKind
	// weight is how much the word says of a household: 1 for a name
	// (street, locality, town), less for generic words (ROAD, NAGAR) and
	// landmarks, 0 for labels (NEAR, DISTRICT, INDIA).
	weight float64
}

// parsedAddress is an address reduced to what is compared.
type parsedAddress struct {
	tokens []addrToken
	pin    string
	state  string
}

var (
	// relationRe finds "S/O", "C/O", "W/O", "D/O" and their spelled-out
	// forms; a person's name follows.
	relationRe = regexp.MustCompile(`\b(?:[CSWD]\s*[/\\.]\s*O|CARE\s+OF|SON\s+OF|WIFE\s+OF|DAUGHTER\s+OF)\b[\s.:,-]*`)
	// houseNoRe finds the house and door number labels printed with
	// punctuation ("H.NO.", "H NO", "D.NO").
	houseNoRe = regexp.MustCompile(`\b[HD]\s*\.?\s*NO\b`)
	// postRe finds "P.O." and "V.P.O." (village and post office).
	postRe = regexp.MustCompile(`\b(V\s*\.?\s*)?P\s*\.\s*O\b\.?`)
	// unitLetterFirstRe and unitNumberFirstRe join a one-letter wing or
	// block to its number ("B-204", "B 204", "12-A"): they compare as one.
	unitLetterFirstRe = regexp.MustCompile(`\b([A-Z])\s*[-/]?\s*([0-9]+)\b`)
	unitNumberFirstRe = regexp.MustCompile(`\b([0-9]+)\s*[-/]?\s*([A-Z])\b`)
	// pinSpaceRe joins a PIN code printed in two halves ("311 001").
	pinSpaceRe = regexp.MustCompile(`\b([1-9][0-9]{2})\s([0-9]{3})\b`)
	// ordinalRe strips the suffix of "2ND CROSS", "4TH MAIN".
	ordinalRe = regexp.MustCompile(`^([0-9]+)(ST|ND|RD|TH)$`)
)

// abbreviations expands the short forms of address words.
var abbreviations = map[string]string{
	"RD": "ROAD", "ROAD": "ROAD", "ST": "STREET", "STR": "STREET",
	"NR": "NEAR", "OPP": "OPPOSITE", "OPPT": "OPPOSITE", "OPPOSIT": "OPPOSITE", "BHD": "BEHIND",
	"PO": "POST", "HNO": "HOUSE", "DNO": "DOOR", "VPO": "VILLAGE",
	"DIST": "DISTRICT", "DISTT": "DISTRICT", "DT": "DISTRICT", "DISTRICT": "DISTRICT",
	"TQ": "TALUK", "TAL": "TALUK", "TALUKA": "TALUK", "TEH": "TALUK", "TEHSIL": "TALUK",
	"TAHSIL": "TALUK", "TEHSEEL": "TALUK", "TAH": "TALUK", "MANDAL": "TALUK",
	"VIL": "VILLAGE", "VILL": "VILLAGE", "VLG": "VILLAGE", "GRAM": "VILLAGE",
	"NGR": "NAGAR", "NG": "NAGAR", "COL": "COLONY", "CLNY": "COLONY",
	"APT": "APARTMENT", "APTS": "APARTMENT", "APPT": "APARTMENT", "APARTMENTS": "APARTMENT",
	"SEC": "SECTOR", "SECT": "SECTOR", "EXTN": "EXTENSION", "EXT": "EXTENSION",
	"BLDG": "BUILDING", "BLDNG": "BUILDING", "SOC": "SOCIETY", "SOCY": "SOCIETY", "CHS": "SOCIETY",
	"HSG": "HOUSING", "COOP": "COOPERATIVE", "LYT": "LAYOUT", "CRS": "CROSS", "MKT": "MARKET",
	"STN": "STATION", "LN": "LANE", "GALI": "LANE", "GALLI": "LANE", "FLR": "FLOOR",
	"PH": "PHASE", "BLK": "BLOCK", "NO": "NO", "NOS": "NO", "NUMBER": "NO",
}

// townAliases maps old or variant spellings of towns to one form.
var townAliases = map[string]string{
	"BANGALORE": "BENGALURU", "BANGALURU": "BENGALURU", "BOMBAY": "MUMBAI", "GURGAON": "GURUGRAM",
	"MADRAS": "CHENNAI", "CALCUTTA": "KOLKATA", "PONDICHERRY": "PUDUCHERRY", "PONDY": "PUDUCHERRY",
	"POONA": "PUNE", "BARODA": "VADODARA", "MYSORE": "MYSURU", "MANGALORE": "MANGALURU",
	"BELGAUM": "BELAGAVI", "HUBLI": "HUBBALLI", "TRIVANDRUM": "THIRUVANANTHAPURAM",
	"COCHIN": "KOCHI", "CALICUT": "KOZHIKODE", "VIZAG": "VISAKHAPATNAM",
	"VISHAKHAPATNAM": "VISAKHAPATNAM", "TRICHY": "TIRUCHIRAPPALLI", "TIRUCHIRAPALLI": "TIRUCHIRAPPALLI",
	"ALLAHABAD": "PRAYAGRAJ", "BANARAS": "VARANASI", "BENARES": "VARANASI", "SIMLA": "SHIMLA",
	"GAUHATI": "GUWAHATI", "CAWNPORE": "KANPUR", "TUTICORIN": "THOOTHUKUDI",
	"GULBARGA": "KALABURAGI", "BELLARY": "BALLARI", "SHIMOGA": "SHIVAMOGGA", "TUMKUR": "TUMAKURU",
	"ORISSA": "ODISHA", "UTTARANCHAL": "UTTARAKHAND", "TAMILNADU": "TAMIL NADU",
}

// stopWords are labels and connectives: they say nothing of where.
var stopWords = set("NEAR", "OPPOSITE", "BEHIND", "BESIDE", "NEXT", "POST", "DISTRICT", "TALUK",
	"VILLAGE", "INDIA", "HOUSE", "FLAT", "DOOR", "PLOT", "SHOP", "ROOM", "NO", "AT", "THE", "OF",
	"AND", "IN", "TO", "ON", "ADDRESS", "OFFICE")

// landmarkWords start a landmark: the words after them, to the next
// comma, describe a neighbour, not the house.
var landmarkWords = set("NEAR", "OPPOSITE", "BEHIND", "BESIDE", "NEXT")

// genericWords are shared by many unrelated addresses: they count for
// less than names.
var genericWords = set("ROAD", "STREET", "NAGAR", "COLONY", "APARTMENT", "SECTOR", "CROSS", "MAIN",
	"LAYOUT", "EXTENSION", "BUILDING", "SOCIETY", "HOUSING", "COOPERATIVE", "LANE", "MARG", "CHOWK",
	"MARKET", "FLOOR", "PHASE", "BLOCK", "WING", "TOWER", "COMPLEX", "RESIDENCY", "ENCLAVE", "PARK",
	"GARDEN", "GARDENS", "STAGE", "WARD", "CITY", "TOWN", "WEST", "EAST", "NORTH", "SOUTH", "NEW",
	"OLD", "UPPER", "LOWER", "GROUND", "FIRST", "SECOND", "THIRD", "STATION", "AREA", "BAZAR",
	"BAZAAR", "PETH", "PALLI", "HALL", "TEMPLE", "SCHOOL", "MANDIR", "MASJID", "CHURCH", "BUS",
	"STAND", "HOSPITAL", "BANK", "CIRCLE", "NIVAS", "BHAVAN", "SADAN", "APPARTMENT", "HEIGHTS",
	"PLAZA", "VIHAR", "KUNJ", "PURI", "GRAM", "VILLA", "VILLAS", "TOWNSHIP", "QUARTERS", "LINE", "LINES")

// compoundSuffixes are generic words printed joined to a name
// ("GANDHINAGAR", "MGROAD"); they are split off so both spellings compare.
var compoundSuffixes = []string{"NAGAR", "ROAD", "COLONY", "LAYOUT", "STREET", "MARG", "CHOWK"}

// stateInfo is one state or union territory: its code and the names and
// codes it is printed as.
type stateInfo struct {
	code  string
	names []string
	// town is true for a state named after its one town (DELHI): the
	// name is kept as a word too.
	town bool
}

var states = []stateInfo{
	{code: "AP", names: []string{"ANDHRA PRADESH"}},
	{code: "AR", names: []string{"ARUNACHAL PRADESH"}},
	{code: "AS", names: []string{"ASSAM"}},
	{code: "BR", names: []string{"BIHAR"}},
	{code: "CG", names: []string{"CHHATTISGARH", "CHATTISGARH", "CT"}},
	{code: "GA", names: []string{"GOA"}},
	{code: "GJ", names: []string{"GUJARAT"}},
	{code: "HR", names: []string{"HARYANA"}},
	{code: "HP", names: []string{"HIMACHAL PRADESH"}},
	{code: "JH", names: []string{"JHARKHAND"}},
	{code: "KA", names: []string{"KARNATAKA", "KR"}},
	{code: "KL", names: []string{"KERALA"}},
	{code: "MP", names: []string{"MADHYA PRADESH"}},
	{code: "MH", names: []string{"MAHARASHTRA"}},
	{code: "MN", names: []string{"MANIPUR"}},
	{code: "ML", names: []string{"MEGHALAYA"}},
	{code: "MZ", names: []string{"MIZORAM"}},
	{code: "NL", names: []string{"NAGALAND"}},
	{code: "OD", names: []string{"ODISHA", "OR"}},
	{code: "PB", names: []string{"PUNJAB"}},
	{code: "RJ", names: []string{"RAJASTHAN"}},
	{code: "SK", names: []string{"SIKKIM"}},
	{code: "TN", names: []string{"TAMIL NADU"}},
	{code: "TS", names: []string{"TELANGANA", "TG"}},
	{code: "TR", names: []string{"TRIPURA"}},
	{code: "UP", names: []string{"UTTAR PRADESH"}},
	{code: "UK", names: []string{"UTTARAKHAND", "UA"}},
	{code: "WB", names: []string{"WEST BENGAL"}},
	{code: "AN", names: []string{"ANDAMAN AND NICOBAR ISLANDS", "ANDAMAN AND NICOBAR"}},
	{code: "CH", names: []string{"CHANDIGARH"}, town: true},
	{code: "DD", names: []string{"DADRA AND NAGAR HAVELI AND DAMAN AND DIU", "DADRA AND NAGAR HAVELI", "DAMAN AND DIU", "DN"}},
	{code: "DL", names: []string{"NCT OF DELHI", "DELHI"}, town: true},
	{code: "JK", names: []string{"JAMMU AND KASHMIR"}},
	{code: "LA", names: []string{"LADAKH"}},
	{code: "LD", names: []string{"LAKSHADWEEP"}},
	{code: "PY", names: []string{"PUDUCHERRY"}, town: true},
}

// stateCodes maps each state code (and two-letter alternative) to the
// code used here.
var stateCodes = func() map[string]string {
	m := map[string]string{}
	for _, s := range states {
		m[s.code] = s.code
		for _, n := range s.names {
			if len(n) == 2 {
				m[n] = s.code
			}
		}
	}
	return m
}()

// parseAddress reduces an address to its tokens, PIN code and state.
func parseAddress(s string) parsedAddress {
	s = truncate(s, MaxAddressBytes)
	s = strings.ToUpper(s)
	s = strings.ReplaceAll(s, "&", " AND ")
	s = dropRelations(s)
	s = houseNoRe.ReplaceAllString(s, " HNO ")
	s = postRe.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasPrefix(m, "V") {
			return " VILLAGE POST "
		}
		return " POST "
	})

	var p parsedAddress
	var words [][]string // per comma-separated segment
	for seg := range strings.SplitSeq(s, ",") {
		seg = strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '/' {
				return r
			}
			return ' '
		}, seg)
		seg = unitLetterFirstRe.ReplaceAllString(seg, "$1$2")
		seg = unitNumberFirstRe.ReplaceAllString(seg, "$1$2")
		seg = pinSpaceRe.ReplaceAllString(seg, "$1$2")
		fs := joinInitials(strings.FieldsFunc(seg, func(r rune) bool { return r == ' ' || r == '-' || r == '/' }))
		var ws []string
		for _, f := range fs {
			ws = append(ws, expandWord(repairOCR(f))...)
		}
		if len(ws) > 0 {
			words = append(words, ws)
		}
	}
	p.pin = findPIN(words)
	p.state = findState(words)

	for _, seg := range words {
		landmark := 0 // words left in a landmark
		for _, w := range seg {
			if len(p.tokens) >= maxAddressTokens {
				break
			}
			t := addrToken{text: w, weight: 1}
			switch {
			case w == p.pin:
				t.kind = kindPIN
			case strings.HasPrefix(w, "#"):
				t.kind, t.text = kindState, w[1:]
			case strings.ContainsFunc(w, unicode.IsDigit):
				t.kind = kindNumber
				if m := ordinalRe.FindStringSubmatch(w); m != nil {
					t.text = m[1]
				}
			default:
				t.folded = fold(w)
				switch {
				case stopWords[w]:
					t.weight = 0
				case genericWords[w] || utf8.RuneCountInString(w) == 1:
					t.weight = 0.3
				}
				if landmark > 0 && t.weight > 0 {
					t.weight /= 2
				}
			}
			if landmark > 0 {
				landmark--
			}
			if landmarkWords[w] {
				landmark = 3
			}
			p.tokens = append(p.tokens, t)
		}
	}
	return p
}

// joinInitials joins runs of single letters ("M G ROAD", from "M.G.
// ROAD") into one word, as "MG ROAD" prints them.
func joinInitials(fs []string) []string {
	out := fs[:0]
	run := false
	for _, f := range fs {
		single := utf8.RuneCountInString(f) == 1 && unicode.IsLetter([]rune(f)[0])
		if single && run {
			out[len(out)-1] += f
			continue
		}
		out = append(out, f)
		run = single
	}
	return out
}

// truncate cuts s to at most n bytes, at a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// dropRelations removes "S/O <name>" and the like: the name is a
// person's, not part of the address. The name ends at the next comma,
// number or address word, and is at most four words.
func dropRelations(s string) string {
	for range 4 { // a few markers at most; bounded for hostile input
		loc := relationRe.FindStringIndex(s)
		if loc == nil {
			return s
		}
		rest := s[loc[1]:]
		end := 0
		words := 0
		for end < len(rest) && words < 4 {
			// Skip spaces and dots, then read one word.
			i := end
			for i < len(rest) && (rest[i] == ' ' || rest[i] == '.' || rest[i] == ':') {
				i++
			}
			j := i
			for j < len(rest) && rest[j] != ' ' && rest[j] != ',' && rest[j] != '.' && rest[j] != ':' {
				j++
			}
			w := rest[i:j]
			if w == "" || strings.ContainsFunc(w, unicode.IsDigit) || isAddressWord(w) {
				break
			}
			end = j
			words++
		}
		s = s[:loc[0]] + " , " + rest[end:]
	}
	return s
}

// isAddressWord reports whether w is a word of addresses rather than of
// names (a label, an abbreviation, a generic word).
func isAddressWord(w string) bool {
	w = strings.Trim(w, "-/")
	if e, ok := abbreviations[w]; ok {
		w = e
	}
	return stopWords[w] || genericWords[w] || w == "HNO" || w == "FLAT"
}

// repairOCR undoes the common misreads of numbers and words: O, I, L in
// a number ("1O1" is 101), 0 and 1 in a word ("C0LONY").
func repairOCR(w string) string {
	var digits, letters int
	for _, r := range w {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case unicode.IsLetter(r):
			letters++
		}
	}
	switch {
	case digits >= 2 && letters > 0 && letters < digits && strings.Trim(w, "0123456789OIL") == "":
		return strings.NewReplacer("O", "0", "I", "1", "L", "1").Replace(w)
	case letters >= 3 && digits > 0 && strings.Trim(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZ01") == "" &&
		unicode.IsLetter(rune(w[0])) && unicode.IsLetter(rune(w[len(w)-1])):
		return strings.NewReplacer("0", "O", "1", "I").Replace(w)
	}
	return w
}

// expandWord spells out an abbreviation, folds a town's old name into
// its new one and splits generic suffixes off compounds.
func expandWord(w string) []string {
	if e, ok := abbreviations[w]; ok {
		return []string{e}
	}
	if e, ok := townAliases[w]; ok {
		return strings.Fields(e)
	}
	for _, suf := range compoundSuffixes {
		if base, ok := strings.CutSuffix(w, suf); ok && len(base) >= 2 && !strings.ContainsFunc(base, unicode.IsDigit) {
			if e, ok := townAliases[base]; ok {
				base = e
			}
			return []string{base, suf}
		}
	}
	return []string{w}
}

// findPIN returns the last six-digit number that can be a PIN code (they
// never start with 0).
func findPIN(words [][]string) string {
	for i := len(words) - 1; i >= 0; i-- {
		for j := len(words[i]) - 1; j >= 0; j-- {
			if w := words[i][j]; len(w) == 6 && w[0] != '0' && strings.Trim(w, "0123456789") == "" {
				return w
			}
		}
	}
	return ""
}

// findState finds the state named in words, replaces its words by one
// "#CODE" word (keeping a town-state's name, DELHI, as a word too) and
// returns its code. Two-letter codes count only at the end of the
// address, where states are printed: elsewhere "CH" may be a block.
func findState(words [][]string) string {
	found := ""
	// The last words, ignoring the PIN code and the country.
	tail := 0
	for i := len(words) - 1; i >= 0; i-- {
		for j := len(words[i]) - 1; j >= 0; j-- {
			w := words[i][j]
			if w == "INDIA" || (len(w) == 6 && strings.Trim(w, "0123456789") == "") {
				continue
			}
			if tail < 2 && found == "" {
				if code, ok := stateCodes[w]; ok {
					words[i][j] = "#" + code
					found = code
				}
			}
			tail++
		}
	}
	for i, seg := range words {
		for j := 0; j < len(seg); j++ {
			if code, n, town := stateAt(seg[j:]); n > 0 {
				repl := []string{"#" + code}
				if town {
					repl = append(repl, seg[j+n-1])
				}
				seg = slices.Replace(seg, j, j+n, repl...)
				j += len(repl) - 1
				if found == "" {
					found = code
				}
			}
		}
		words[i] = seg
	}
	return found
}

// stateAt returns the state whose name starts ws, and how many words the
// name has. One-word names of six letters or more are found despite one
// slip ("MAHARASTRA").
func stateAt(ws []string) (code string, n int, town bool) {
	for _, s := range states {
		for _, name := range s.names {
			nw := strings.Fields(name)
			if len(nw) > len(ws) || len(name) == 2 {
				continue
			}
			if slices.Equal(nw, ws[:len(nw)]) {
				return s.code, len(nw), s.town
			}
			if len(nw) == 1 && len(name) >= 6 && len(ws[0]) >= 6 &&
				extract.EditDistance([]rune(name), []rune(ws[0])) == 1 {
				return s.code, 1, s.town
			}
		}
	}
	return "", 0, false
}

// tokenPair is a match of token i of one address with token j of the
// other.
type tokenPair struct {
	i, j int
	sim  float64
}

// pair matches the tokens of two addresses, best pairs first; each token
// is used once.
func pair(a, b []addrToken) []tokenPair {
	var cands []tokenPair
	for i := range a {
		for j := range b {
			if s := addrTokenSim(a[i], b[j]); s > 0 {
				cands = append(cands, tokenPair{i, j, s})
			}
		}
	}
	slices.SortStableFunc(cands, func(x, y tokenPair) int { return cmp.Compare(y.sim, x.sim) })
	usedA, usedB := make([]bool, len(a)), make([]bool, len(b))
	var out []tokenPair
	for _, p := range cands {
		if usedA[p.i] || usedB[p.j] {
			continue
		}
		usedA[p.i], usedB[p.j] = true, true
		out = append(out, p)
	}
	return out
}

// addrTokenSim is how alike two tokens are, in [0, 1]. Numbers, PIN
// codes and states must be equal; words may differ by a slip when long
// enough that a slip is not another name ("RAMPUR"/"RAIPUR" get only
// partial credit).
func addrTokenSim(a, b addrToken) float64 {
	if a.kind != b.kind {
		return 0
	}
	if a.text == b.text {
		return 1
	}
	if a.kind == kindNumber {
		// "B-204" and "204": the wing letter may be printed elsewhere.
		// "12A" and "12B" are different houses.
		da, db := strings.Trim(a.text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), strings.Trim(b.text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
		if da == db && (da == a.text || db == b.text) {
			return 0.9
		}
		return 0
	}
	if a.kind != kindWord {
		return 0
	}
	if a.folded == b.folded {
		return 0.95
	}
	ra, rb := []rune(a.text), []rune(b.text)
	short := min(len(ra), len(rb))
	if short < 5 {
		return 0
	}
	d := min(extract.EditDistance(ra, rb), extract.EditDistance([]rune(a.folded), []rune(b.folded)))
	switch {
	case d == 1:
		return 0.8
	case d == 2 && short >= 8:
		return 0.7
	}
	return 0
}

// similarity is how alike the addresses read: the share of all their
// tokens that have a counterpart, labels included.
func similarity(a, b []addrToken, pairs []tokenPair) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	var got float64
	for _, p := range pairs {
		got += 2 * p.sim
	}
	return got / float64(len(a)+len(b))
}

// samePerson is how likely the addresses are one household's, in [0, 1]:
// the share of their names (street, locality, town) that match, the
// fuller address's extras counting less, then lowered for house numbers,
// PIN codes or states that disagree.
func samePerson(a, b parsedAddress, pairs []tokenPair) float64 {
	var totA, totB, gotA, gotB float64
	var numsA, numsB, numsMatched int
	for _, t := range a.tokens {
		switch t.kind {
		case kindWord:
			totA += t.weight
		case kindNumber:
			numsA++
		}
	}
	for _, t := range b.tokens {
		switch t.kind {
		case kindWord:
			totB += t.weight
		case kindNumber:
			numsB++
		}
	}
	for _, p := range pairs {
		ta, tb := a.tokens[p.i], b.tokens[p.j]
		switch ta.kind {
		case kindWord:
			gotA += p.sim * ta.weight
			gotB += p.sim * tb.weight
		case kindNumber:
			numsMatched++
		}
	}
	// An address without names (only numbers, a PIN) says nothing of a
	// household.
	if totA == 0 || totB == 0 {
		return 0
	}
	covA, covB := gotA/totA, gotB/totB
	score := 0.75*max(covA, covB) + 0.25*min(covA, covB)

	// House numbers: a number on each side with no counterpart is another
	// house (or another flat of the building); one side without numbers
	// cannot tell.
	switch {
	case numsA == 0 && numsB == 0:
	case numsA == 0 || numsB == 0:
		score *= 0.8
	case numsMatched == 0:
		score *= 0.35
	case numsA > numsMatched && numsB > numsMatched:
		score *= 0.45
	case numsA != numsB:
		score *= 0.9
	}

	switch {
	case a.pin == "" && b.pin == "":
	case a.pin == "" || b.pin == "":
		score *= 0.95
	case a.pin != b.pin:
		// A one-digit difference may be a misread: a person should look.
		if extract.EditDistance([]rune(a.pin), []rune(b.pin)) == 1 {
			score *= 0.7
		} else {
			score *= 0.4
		}
	}
	if a.state != "" && b.state != "" && a.state != b.state {
		score *= 0.5
	}
	return min(max(score, 0), 1)
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
