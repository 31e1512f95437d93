package docgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/validate"
)

// city is a place with its district and the first three digits of its
// postal codes, so generated addresses are consistent.
type city struct {
	name, district, pin string
}

// region groups names and places that go together. All names are common
// given names and surnames; the people made of them are fake.
type region struct {
	state    string
	cities   []city
	male     []string
	female   []string
	surnames []string
	// initials: names are often written with an initial (Tamil style,
	// "D MANIKANDAN DURAISAMY") and the surname is the father's name.
	initials float64
	// middle is a common middle word for men (e.g. "Kumar").
	middle []string
	// sikh: men are "X Singh [clan]", women "X Kaur [clan]".
	sikh bool
}

var hindiMale = []string{"Ramesh", "Rajesh", "Anil", "Sunil", "Amit", "Ravi", "Manoj", "Vinod", "Ajay", "Pankaj", "Alok", "Deepak", "Sanjay", "Rakesh", "Arvind", "Ashok"}
var hindiFemale = []string{"Sunita", "Anita", "Rekha", "Neelam", "Poonam", "Shalini", "Ritu", "Pinki", "Kiran", "Anjali", "Sarita", "Meena"}

var regions = []region{
	{state: "Maharashtra", cities: []city{{"Pune", "Pune", "411"}, {"Mumbai", "Mumbai Suburban", "400"}, {"Nagpur", "Nagpur", "440"}, {"Nashik", "Nashik", "422"}},
		male:     []string{"Rahul", "Sachin", "Amol", "Prashant", "Sandeep", "Nitin", "Vikas", "Ganesh", "Suresh", "Mahesh", "Omkar", "Tushar"},
		female:   []string{"Priya", "Snehal", "Pooja", "Ashwini", "Manisha", "Sneha", "Kavita", "Swati", "Rupali", "Neha"},
		surnames: []string{"Patil", "Deshmukh", "Jadhav", "Kulkarni", "Pawar", "Shinde", "Joshi", "More", "Gaikwad", "Chavan", "Kale", "Bhosale"}},
	{state: "Uttar Pradesh", cities: []city{{"Lucknow", "Lucknow", "226"}, {"Kanpur", "Kanpur Nagar", "208"}, {"Varanasi", "Varanasi", "221"}, {"Agra", "Agra", "282"}},
		male: hindiMale, female: hindiFemale, middle: []string{"Kumar", "Prasad", "Chandra"},
		surnames: []string{"Sharma", "Verma", "Yadav", "Singh", "Gupta", "Mishra", "Tiwari", "Pandey", "Srivastava", "Chaurasia", "Maurya"}},
	{state: "Bihar", cities: []city{{"Patna", "Patna", "800"}, {"Gaya", "Gaya", "823"}, {"Muzaffarpur", "Muzaffarpur", "842"}},
		male: hindiMale, female: hindiFemale, middle: []string{"Kumar", "Kumar", "Prasad", "Nath"},
		surnames: []string{"Kumar", "Prasad", "Sinha", "Jha", "Yadav", "Singh", "Mandal", "Paswan", "Choudhary"}},
	{state: "Tamil Nadu", cities: []city{{"Chennai", "Chennai", "600"}, {"Coimbatore", "Coimbatore", "641"}, {"Madurai", "Madurai", "625"}, {"Salem", "Salem", "636"}},
		male:     []string{"Manikandan", "Karthik", "Senthil", "Murugan", "Saravanan", "Arun", "Vignesh", "Prabhu", "Balaji", "Sathish", "Dinesh"},
		female:   []string{"Lakshmi", "Priya", "Divya", "Kavitha", "Meena", "Revathi", "Selvi", "Deepa", "Janani", "Gayathri"},
		surnames: []string{"Duraisamy", "Ramasamy", "Krishnan", "Subramanian", "Natarajan", "Palanisamy", "Rajendran", "Murugesan", "Venkatesan", "Arumugam"},
		initials: 0.7},
	{state: "Karnataka", cities: []city{{"Bengaluru", "Bengaluru Urban", "560"}, {"Mysuru", "Mysuru", "570"}, {"Hubballi", "Dharwad", "580"}, {"Mangaluru", "Dakshina Kannada", "575"}},
		male:     []string{"Manjunath", "Raghavendra", "Shivakumar", "Praveen", "Girish", "Naveen", "Kiran", "Santosh", "Basavaraj"},
		female:   []string{"Shilpa", "Rashmi", "Pavithra", "Savitha", "Chaitra", "Bhavya", "Sowmya"},
		surnames: []string{"Gowda", "Hegde", "Shetty", "Rao", "Naik", "Bhat", "Kamath", "Patil", "Reddy"},
		initials: 0.25},
	{state: "Kerala", cities: []city{{"Thiruvananthapuram", "Thiruvananthapuram", "695"}, {"Kochi", "Ernakulam", "682"}, {"Kozhikode", "Kozhikode", "673"}, {"Thrissur", "Thrissur", "680"}},
		male:     []string{"Anoop", "Jijo", "Sreejith", "Rajeev", "Vishnu", "Arjun", "Sajan", "Biju", "Jobin"},
		female:   []string{"Anjali", "Reshma", "Sreelakshmi", "Aswathy", "Divya", "Nimisha", "Soumya"},
		surnames: []string{"Nair", "Menon", "Pillai", "Kurian", "Varghese", "Thomas", "Joseph", "Panicker"}},
	{state: "West Bengal", cities: []city{{"Kolkata", "Kolkata", "700"}, {"Howrah", "Howrah", "711"}, {"Siliguri", "Darjeeling", "734"}, {"Durgapur", "Paschim Bardhaman", "713"}},
		male:     []string{"Sourav", "Arijit", "Debashis", "Subhajit", "Partha", "Abhijit", "Anirban", "Tapas"},
		female:   []string{"Moumita", "Sreeparna", "Rupa", "Tanushree", "Payel", "Riya", "Sharmistha"},
		surnames: []string{"Chatterjee", "Banerjee", "Mukherjee", "Das", "Ghosh", "Bose", "Sen", "Dutta", "Roy", "Mondal", "Saha"}},
	{state: "Gujarat", cities: []city{{"Ahmedabad", "Ahmedabad", "380"}, {"Surat", "Surat", "395"}, {"Vadodara", "Vadodara", "390"}, {"Rajkot", "Rajkot", "360"}},
		male:     []string{"Hitesh", "Jignesh", "Kalpesh", "Nilesh", "Bhavesh", "Mehul", "Chirag", "Paresh"},
		female:   []string{"Hetal", "Komal", "Dhara", "Krupa", "Bhavna", "Jinal", "Nisha"},
		surnames: []string{"Patel", "Shah", "Desai", "Mehta", "Parmar", "Solanki", "Chauhan", "Trivedi"},
		middle:   []string{"Bhai"}},
	{state: "Punjab", cities: []city{{"Ludhiana", "Ludhiana", "141"}, {"Amritsar", "Amritsar", "143"}, {"Jalandhar", "Jalandhar", "144"}, {"Patiala", "Patiala", "147"}},
		male:     []string{"Gurpreet", "Harpreet", "Manpreet", "Jaswinder", "Sukhwinder", "Amandeep", "Kuldeep", "Baljit"},
		female:   []string{"Simran", "Harleen", "Navneet", "Jasleen", "Manjit", "Rupinder", "Kamaljeet"},
		surnames: []string{"Sandhu", "Gill", "Dhillon", "Grewal", "Sidhu", "Brar", "Bajwa"},
		sikh:     true},
	{state: "Rajasthan", cities: []city{{"Jaipur", "Jaipur", "302"}, {"Jodhpur", "Jodhpur", "342"}, {"Udaipur", "Udaipur", "313"}, {"Bhilwara", "Bhilwara", "311"}},
		male:     []string{"Mahendra", "Surendra", "Dinesh", "Ramesh", "Bhanwar", "Mukesh", "Hanuman", "Laxman"},
		female:   []string{"Sita", "Kamla", "Santosh", "Manju", "Suman", "Lalita", "Pushpa"},
		surnames: []string{"Meena", "Choudhary", "Rathore", "Shekhawat", "Agarwal", "Sharma", "Saini", "Gurjar"},
		middle:   []string{"Lal", "Singh"}},
	{state: "Telangana", cities: []city{{"Hyderabad", "Hyderabad", "500"}, {"Warangal", "Warangal", "506"}},
		male:     []string{"Srinivas", "Venkatesh", "Naresh", "Suresh", "Ramakrishna", "Chandrasekhar", "Praveen", "Mahesh"},
		female:   []string{"Lakshmi", "Padma", "Swathi", "Sravani", "Anusha", "Madhavi", "Sirisha"},
		surnames: []string{"Reddy", "Rao", "Naidu", "Goud", "Varma", "Raju", "Yadav"},
		initials: 0.2},
	{state: "Andhra Pradesh", cities: []city{{"Visakhapatnam", "Visakhapatnam", "530"}, {"Vijayawada", "Krishna", "520"}, {"Guntur", "Guntur", "522"}},
		male:     []string{"Srinivasa", "Venkata", "Naresh", "Koteswara", "Ravi", "Sai", "Prasad"},
		female:   []string{"Lakshmi", "Durga", "Swathi", "Bhavani", "Anusha", "Padmavathi"},
		surnames: []string{"Reddy", "Rao", "Naidu", "Chowdary", "Varma", "Raju"},
		initials: 0.3},
	{state: "Odisha", cities: []city{{"Bhubaneswar", "Khordha", "751"}, {"Cuttack", "Cuttack", "753"}},
		male:     []string{"Pradeep", "Subrat", "Debasish", "Bikash", "Manas", "Satya"},
		female:   []string{"Sasmita", "Smita", "Pratima", "Sujata", "Lipsa", "Mamata"},
		surnames: []string{"Mohanty", "Patnaik", "Sahoo", "Behera", "Das", "Nayak", "Swain", "Panda"}},
	{state: "Assam", cities: []city{{"Guwahati", "Kamrup Metropolitan", "781"}, {"Dibrugarh", "Dibrugarh", "786"}},
		male:     []string{"Bhaskar", "Dipankar", "Pranjal", "Rituraj", "Jyotirmoy", "Hemanta"},
		female:   []string{"Bornali", "Pallavi", "Nilakshi", "Junmoni", "Rupjyoti"},
		surnames: []string{"Bora", "Gogoi", "Baruah", "Saikia", "Kalita", "Hazarika"}},
	{state: "Madhya Pradesh", cities: []city{{"Bhopal", "Bhopal", "462"}, {"Indore", "Indore", "452"}, {"Jabalpur", "Jabalpur", "482"}},
		male: hindiMale, female: hindiFemale, middle: []string{"Kumar", "Singh"},
		surnames: []string{"Chouhan", "Patel", "Tiwari", "Dubey", "Jain", "Rajput", "Thakur", "Sahu"}},
	{state: "Delhi", cities: []city{{"New Delhi", "New Delhi", "110"}, {"Delhi", "North West Delhi", "110"}},
		male: hindiMale, female: hindiFemale,
		surnames: []string{"Arora", "Khanna", "Malhotra", "Kapoor", "Sharma", "Gupta", "Bansal", "Aggarwal"}},
}

var (
	streets    = []string{"MG Road", "Station Road", "Gandhi Nagar", "Main Road", "Temple Street", "Nehru Marg", "Church Road", "Market Road", "Ring Road", "Link Road", "Tilak Road", "Bazaar Street"}
	localities = []string{"Shivaji Nagar", "Rajendra Nagar", "Indira Colony", "Subhash Nagar", "Sector 12", "Laxmi Nagar", "Ambedkar Colony", "Ward No 7", "Azad Nagar", "Vidya Nagar", "Ram Nagar", "Housing Board Colony"}
	landmarks  = []string{"Near Bus Stand", "Opp Post Office", "Near Community Hall", "Behind Water Tank", "Near Hanuman Temple", "Opp Govt School"}
	buildings  = []string{"Sai Residency", "Shanti Apartments", "Krishna Towers", "Green Park", "Lotus Enclave"}
)

// person is one fake holder. Name words are in title case; initials are
// single capital letters.
type person struct {
	words       []string // the holder's name, word by word
	father      []string
	gender      string // "MALE" or "FEMALE"
	dob         time.Time
	region      *region
	city        city
	pin         string
	addr        []string // address elements, care-of first, without state and PIN
	careOfWords string   // "S/O", "D/O", "W/O"
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// newPerson draws a fake person. The range of birth dates is fixed, not
// relative to the clock, so output does not change with the day it runs.
func newPerson(r *rand.Rand) *person {
	p := &person{region: &regions[r.IntN(len(regions))]}
	g := p.region
	p.gender = "MALE"
	given := pick(r, g.male)
	if r.IntN(2) == 0 {
		p.gender = "FEMALE"
		given = pick(r, g.female)
	}
	fatherGiven := pick(r, g.male)
	for fatherGiven == given {
		fatherGiven = pick(r, g.male)
	}
	surname := pick(r, g.surnames)

	switch {
	case g.sikh:
		clan := ""
		if r.IntN(2) == 0 {
			clan = surname
		}
		word := "Singh"
		if p.gender == "FEMALE" {
			word = "Kaur"
		}
		p.words = nonEmpty(given, word, clan)
		p.father = nonEmpty(fatherGiven, "Singh", clan)
	case r.Float64() < g.initials:
		// "D Manikandan Duraisamy": the father's name as surname, his
		// initial in front; the father's own surname is his father's.
		fatherGiven = surname
		grand := pick(r, g.surnames)
		for grand == fatherGiven {
			grand = pick(r, g.surnames)
		}
		p.words = []string{fatherGiven[:1], given, fatherGiven}
		if r.IntN(3) == 0 {
			p.words = []string{given, fatherGiven}
		}
		p.father = []string{fatherGiven, grand}
		if r.IntN(2) == 0 {
			p.father = []string{grand[:1], fatherGiven}
		}
	default:
		p.words = []string{given, surname}
		if len(g.middle) > 0 && p.gender == "MALE" && r.IntN(3) == 0 {
			if m := pick(r, g.middle); m != surname {
				p.words = []string{given, m, surname}
			}
		}
		p.father = []string{fatherGiven, surname}
		if r.IntN(4) == 0 {
			// A father's middle name, as PAN cards often print it.
			if m := pick(r, g.male); m != fatherGiven && m != given {
				p.father = []string{fatherGiven, m, surname}
			}
		}
	}

	// 1950-01-01 to 2006-12-31.
	start := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	p.dob = start.AddDate(0, 0, r.IntN(20819))

	p.city = pick(r, g.cities)
	p.pin = p.city.pin + fmt.Sprintf("%03d", 1+r.IntN(98))
	p.careOfWords = "S/O"
	if p.gender == "FEMALE" {
		p.careOfWords = "D/O"
		if r.IntN(3) == 0 {
			p.careOfWords = "W/O"
		}
	}
	careOf := p.careOfWords + " " + strings.Join(p.father, " ")
	if p.careOfWords == "W/O" {
		husband := nonEmpty(pick(r, g.male), p.words[len(p.words)-1])
		careOf = "W/O " + strings.Join(husband, " ")
	}
	var house string
	switch r.IntN(4) {
	case 0:
		house = fmt.Sprintf("%d-%d-%d", 1+r.IntN(20), 1+r.IntN(9), 1+r.IntN(300))
	case 1:
		house = fmt.Sprintf("House No %d", 1+r.IntN(900))
	case 2:
		house = fmt.Sprintf("Flat %d%02d", 1+r.IntN(9), 1+r.IntN(12))
	default:
		house = fmt.Sprintf("%d", 1+r.IntN(400))
	}
	p.addr = []string{careOf, house}
	if house[0] == 'F' {
		p.addr = append(p.addr, pick(r, buildings))
	}
	p.addr = append(p.addr, pick(r, streets))
	if r.IntN(3) == 0 {
		p.addr = append(p.addr, pick(r, landmarks))
	}
	p.addr = append(p.addr, pick(r, localities), p.city.name)
	if p.city.district != p.city.name || r.IntN(2) == 0 {
		// e-Aadhaar prints the district even when it repeats the city.
		p.addr = append(p.addr, p.city.district)
	}
	return p
}

func nonEmpty(words ...string) []string {
	out := words[:0:0]
	for _, w := range words {
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// panNumber returns a PAN for an individual: three random letters, 'P',
// the first letter of the surname, a serial 0001-9999 and a letter.
func (p *person) panNumber(r *rand.Rand) string {
	b := make([]byte, 0, 10)
	for range 3 {
		b = append(b, byte('A'+r.IntN(26)))
	}
	surname := p.words[len(p.words)-1]
	b = append(b, 'P', strings.ToUpper(surname)[0])
	b = fmt.Appendf(b, "%04d", 1+r.IntN(9999))
	b = append(b, byte('A'+r.IntN(26)))
	return string(b)
}

// aadhaarNumber returns a valid Aadhaar number, "NNNN NNNN NNNN": the
// first digit 2-9, the last the Verhoeff check digit, not a palindrome.
func aadhaarNumber(r *rand.Rand) string {
	for {
		b := make([]byte, 0, 12)
		b = append(b, byte('2'+r.IntN(8)))
		for range 10 {
			b = append(b, byte('0'+r.IntN(10)))
		}
		b = append(b, validate.VerhoeffDigit(string(b)))
		if validate.Aadhaar(string(b)).Passed() {
			return string(b[0:4]) + " " + string(b[4:8]) + " " + string(b[8:12])
		}
	}
}

// digits returns n random digits, the first not zero.
func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	b[0] = byte('1' + r.IntN(9))
	return string(b)
}

func upperJoin(words []string) string { return strings.ToUpper(strings.Join(words, " ")) }
