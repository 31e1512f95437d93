package docgen

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
)

// StatementTxn is one transaction of a generated statement as the truth
// records it: amounts as plain decimals, the empty side left out.
type StatementTxn struct {
	Date        string `json:"date"`
	Description string `json:"description"`
	Debit       string `json:"debit,omitempty"`
	Credit      string `json:"credit,omitempty"`
	Balance     string `json:"balance"`
}

// banks are the issuers statements are drawn for, with their IFSC prefix.
var banks = []struct{ name, ifsc string }{
	{"STATE BANK OF INDIA", "SBIN"}, {"HDFC BANK", "HDFC"}, {"ICICI BANK", "ICIC"},
	{"AXIS BANK", "UTIB"}, {"PUNJAB NATIONAL BANK", "PUNB"}, {"BANK OF BARODA", "BARB"},
	{"CANARA BANK", "CNRB"}, {"KOTAK MAHINDRA BANK", "KKBK"}, {"UNION BANK OF INDIA", "UBIN"},
}

var (
	employers = []string{"ACME SOFTWARE PVT LTD", "SUNRISE TEXTILES LTD", "NAVBHARAT LOGISTICS", "GLOBAL AGRO FOODS", "VERTEX INFOTECH LLP"}
	merchants = []string{"BIGMART", "CITY PHARMACY", "FUEL STATION", "FRESH GROCERS", "METRO CINEMAS", "ELECTRO WORLD"}
	lenders   = []string{"BAJAJ FIN", "HDB FINANCIAL", "TATA CAPITAL", "HOME CREDIT", "MUTHOOT FIN"}
	psps      = []string{"okaxis", "ybl", "oksbi", "paytm", "okicici", "ibl"}
	months    = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
)

// stmtLayout is one statement design: its labels, table header wording
// and column order.
type stmtLayout struct {
	name                                string
	title, holder, account, ifsc        string
	period, opening, closing            string
	dateSep                             string
	colDate, colDesc, colDebit, colCred string
	creditFirst                         bool // credit column left of debit
}

var stmtLayouts = []stmtLayout{
	{name: "statement-classic", title: "ACCOUNT STATEMENT", holder: "Account Holder", account: "Account Number", ifsc: "IFSC",
		period: "Statement Period", opening: "Opening Balance", closing: "Closing Balance", dateSep: "/",
		colDate: "Date", colDesc: "Narration", colDebit: "Debit", colCred: "Credit"},
	{name: "statement-passbook", title: "Statement of Account", holder: "Customer Name", account: "A/C No.", ifsc: "IFSC Code",
		period: "Period", opening: "Opening Balance", closing: "Closing Balance", dateSep: "-",
		colDate: "Txn Date", colDesc: "Particulars", colDebit: "Withdrawal", colCred: "Deposit", creditFirst: true},
}

// formatAmount writes paise as "1,25,000.00" (Indian grouping) or
// "125,000.00".
func formatAmount(paise int64, indian bool) string {
	s := fmt.Sprintf("%d", paise/100)
	var groups []string
	if len(s) > 3 {
		groups = append(groups, s[len(s)-3:])
		s = s[:len(s)-3]
		size := 3
		if indian {
			size = 2
		}
		for len(s) > size {
			groups = append([]string{s[len(s)-size:]}, groups...)
			s = s[:len(s)-size]
		}
	}
	groups = append([]string{s}, groups...)
	return fmt.Sprintf("%s.%02d", strings.Join(groups, ","), paise%100)
}

func plainAmount(paise int64) string { return fmt.Sprintf("%d.%02d", paise/100, paise%100) }

// stmtRow is one transaction as drawn.
type stmtRow struct {
	date          time.Time
	desc          string
	debit, credit int64 // paise, one of them zero
	balance       int64
}

// newTxn draws one transaction's description and amount in paise; credit
// says which side it is on.
func newTxn(r *rand.Rand, p *person, date time.Time, bankCode string) (desc string, amount int64, credit bool) {
	name := strings.ToUpper(strings.Join(p.words, " "))
	other := strings.ToUpper(pick(r, p.region.male) + " " + pick(r, p.region.surnames))
	handle := strings.ToLower(strings.Fields(other)[0]) + digits(r, 2) + "@" + pick(r, psps)
	paise := func(lo, hi int) int64 { return int64(lo+r.IntN(hi-lo+1))*100 + int64(r.IntN(100)) }
	round := func(lo, hi, step int) int64 { return int64((lo/step+r.IntN((hi-lo)/step+1))*step) * 100 }
	switch r.IntN(12) {
	case 0, 1, 2:
		return fmt.Sprintf("UPI/DR/%s/%s/%s", digits(r, 12), other, handle), paise(20, 5000), false
	case 3:
		return fmt.Sprintf("UPI/CR/%s/%s/%s", digits(r, 12), other, handle), paise(100, 15000), true
	case 4:
		return fmt.Sprintf("ATM WDL/%s/%s", strings.ToUpper(p.city.name), digits(r, 6)), round(500, 20000, 500), false
	case 5:
		return fmt.Sprintf("NEFT-%sN%s-%s", pick(r, banks).ifsc, digits(r, 10), other), round(1000, 90000, 50), true
	case 6:
		return fmt.Sprintf("NEFT-%sN%s-%s", bankCode, digits(r, 10), other), round(1000, 60000, 10), false
	case 7:
		return fmt.Sprintf("SALARY %s %d %s", months[date.Month()-1], date.Year(), pick(r, employers)), round(18000, 250000, 1), true
	case 8:
		return fmt.Sprintf("POS %s %s", digits(r, 6), pick(r, merchants)), paise(100, 8000), false
	case 9:
		return fmt.Sprintf("ACH D- %s %s", pick(r, lenders), digits(r, 8)), round(1500, 30000, 1), false
	case 10:
		return fmt.Sprintf("IMPS/P2A/%s/%s", digits(r, 12), name), paise(500, 25000), r.IntN(2) == 0
	default:
		if r.IntN(2) == 0 {
			return "INT.PD " + digits(r, 8), paise(5, 1500), true
		}
		return fmt.Sprintf("CHQ PAID %s-%s", digits(r, 6), other), round(1000, 50000, 100), false
	}
}

// wrapDesc breaks a description into lines of at most n characters: at a
// space (dropped), or after a '/' or '-' (kept), so that a reader joins
// lines with a space unless the first ends in '/' or '-'.
func wrapDesc(s string, n int) []string {
	var out []string
	for len(s) > n {
		cut, next := -1, -1
		for i := 1; i <= n && i < len(s); i++ {
			switch {
			case s[i] == ' ' && s[i-1] != '/' && s[i-1] != '-':
				cut, next = i, i+1
			case (s[i-1] == '/' || s[i-1] == '-') && s[i] != ' ':
				cut, next = i, i
			}
		}
		if cut < 0 {
			break // one long token: leave it whole
		}
		out = append(out, s[:cut])
		s = s[next:]
	}
	return append(out, s)
}

// GenerateStatement renders a bank statement of 1-3 A4 pages of a fake
// account holder chosen by seed, as GeneratePDF does. The truth's
// "transactions" is the JSON array of StatementTxn.
func GenerateStatement(seed int64, scanned bool) (*Sample, error) {
	return GeneratePDF(seed, document.TypeBankStatement, scanned)
}

// Geometry of the statement, in points.
const (
	stmtLeft     = 40.0
	stmtRight    = 555.0
	stmtRowH     = 13.0
	stmtWrapH    = 10.0
	stmtTableEnd = 790.0
	stmtDescMax  = 30 // characters a description line holds
)

func drawStatement(r *rand.Rand) ([]drawing, map[string]string, string) {
	lay := stmtLayouts[r.IntN(len(stmtLayouts))]
	indian := r.IntN(3) > 0
	p := newPerson(r)
	bank := pick(r, banks)
	ifsc := bank.ifsc + "0" + digits(r, 6)
	if r.IntN(3) == 0 {
		city := strings.ToUpper(strings.ReplaceAll(p.city.name, " ", "")) + "XXX"
		ifsc = bank.ifsc + "0" + city[:3] + digits(r, 3)
	}
	account := digits(r, 11+r.IntN(4))
	for account[0] == '0' {
		account = digits(r, 1) + account[1:]
	}
	holder := strings.ToUpper(strings.Join(p.words, " "))

	// Period: one to three whole months between 2023 and 2025.
	from := time.Date(2023+r.IntN(3), time.Month(1+r.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 1+r.IntN(3), -1)
	days := int(to.Sub(from).Hours()/24) + 1

	n := 10 + r.IntN(31)
	pages := 1 + r.IntN(3)
	for pages > 1 && n/pages < 6 {
		pages--
	}
	dates := make([]int, n)
	for i := range dates {
		dates[i] = r.IntN(days)
	}
	slices.Sort(dates)

	opening := int64(2000+r.IntN(300000))*100 + int64(r.IntN(100))
	bal := opening
	rows := make([]stmtRow, n)
	for i := range rows {
		d := from.AddDate(0, 0, dates[i])
		desc, amt, credit := newTxn(r, p, d, bank.ifsc)
		if !credit && amt > bal {
			credit = true // never overdrawn
		}
		if credit {
			bal += amt
			rows[i] = stmtRow{date: d, desc: desc, credit: amt, balance: bal}
		} else {
			bal -= amt
			rows[i] = stmtRow{date: d, desc: desc, debit: amt, balance: bal}
		}
	}
	closing := bal

	dateFmt := "02" + lay.dateSep + "01" + lay.dateSep + "2006"
	money := func(v int64) string { return formatAmount(v, indian) }

	// Columns: right edges of the amount columns.
	xDate, xDesc := stmtLeft, stmtLeft+68
	xFirst, xSecond, xBal := 390.0, 470.0, stmtRight
	debitX, creditX := xFirst, xSecond
	if lay.creditFirst {
		debitX, creditX = xSecond, xFirst
	}
	header := func(d *drawing, y float64) float64 {
		d.line(stmtLeft, y-11, stmtRight, y-11, 0.8)
		d.text(xDate, y, 8.5, true, lay.colDate)
		d.text(xDesc, y, 8.5, true, lay.colDesc)
		d.rightText(debitX, y, 8.5, true, lay.colDebit)
		d.rightText(creditX, y, 8.5, true, lay.colCred)
		d.rightText(xBal, y, 8.5, true, "Balance")
		d.line(stmtLeft, y+4, stmtRight, y+4, 0.6)
		return y + 4 + stmtRowH
	}

	out := make([]drawing, 1)
	d := &out[0]
	y := 52.0
	d.text(stmtLeft, y, 16, true, bank.name)
	y += 18
	branch := "Branch: " + p.city.name
	d.text(stmtLeft, y, 9, false, branch)
	if lay.name == "statement-classic" {
		d.text(360, y, 9, false, lay.ifsc+": "+ifsc)
	}
	y += 24
	d.text(stmtLeft, y, 12, true, lay.title)
	y += 22
	labelled := func(label, value string) {
		d.text(stmtLeft, y, 9, false, label)
		d.text(140, y, 9, false, ":")
		d.text(148, y, 9, false, value)
		y += 13
	}
	labelled(lay.holder, holder)
	addr := p.addr[1:] // without the care-of line
	addrLines := wrapDesc(strings.Join(append(addr, p.region.state+" "+p.pin), ", "), 48)
	d.text(stmtLeft, y, 9, false, "Address")
	d.text(140, y, 9, false, ":")
	for _, l := range addrLines {
		d.text(148, y, 9, false, l)
		y += 11
	}
	y += 2
	labelled(lay.account, account)
	if lay.name != "statement-classic" {
		labelled(lay.ifsc, ifsc)
	}
	if lay.name == "statement-classic" {
		labelled(lay.period, from.Format(dateFmt)+" to "+to.Format(dateFmt))
	} else {
		labelled(lay.period, "From "+from.Format(dateFmt)+" To "+to.Format(dateFmt))
	}
	labelled(lay.opening, money(opening))
	y += 14

	// Rows flow over pages: a page ends at its share of the rows or when
	// full, whichever comes first.
	per := (n + pages - 1) / pages
	var txns []StatementTxn
	out = out[:1]
	d = &out[0]
	y = header(d, y)
	onPage := 0
	endPage := func() { d.line(stmtLeft, y-8, stmtRight, y-8, 0.6) }
	for _, row := range rows {
		lines := wrapDesc(row.desc, stmtDescMax)
		need := stmtRowH + stmtWrapH*float64(len(lines)-1)
		if onPage >= per || y+need > stmtTableEnd-40 {
			endPage()
			out = append(out, drawing{})
			d = &out[len(out)-1]
			y = 50
			d.text(stmtLeft, y, 9, true, bank.name)
			d.rightText(stmtRight, y, 8, false, "A/C "+account)
			y = header(d, y+28)
			onPage = 0
		}
		d.text(xDate, y, 8, false, row.date.Format(dateFmt))
		t := StatementTxn{Date: row.date.Format("02/01/2006"), Description: row.desc, Balance: plainAmount(row.balance)}
		if row.debit > 0 {
			d.rightText(debitX, y, 8, false, money(row.debit))
			t.Debit = plainAmount(row.debit)
		} else {
			d.rightText(creditX, y, 8, false, money(row.credit))
			t.Credit = plainAmount(row.credit)
		}
		d.rightText(xBal, y, 8, false, money(row.balance))
		for k, l := range lines {
			d.text(xDesc, y, 8, false, l)
			if k < len(lines)-1 {
				y += stmtWrapH
			}
		}
		txns = append(txns, t)
		y += stmtRowH
		onPage++
	}
	endPage()
	y += 8
	d.text(stmtLeft, y, 9, true, lay.closing)
	d.text(140, y, 9, true, ":")
	d.text(148, y, 9, true, money(closing))
	y += 20
	d.text(stmtLeft, y, 7, false, "This is a computer generated statement and does not require a signature.")
	for pg := range out {
		out[pg].text(stmtLeft, 815, 7, false, "Customer care 1800 000 0000")
		out[pg].rightText(stmtRight, 815, 7, false, fmt.Sprintf("Page %d of %d", pg+1, len(out)))
	}

	js, err := json.Marshal(txns)
	if err != nil {
		panic("docgen: marshal transactions: " + err.Error()) // plain strings cannot fail
	}
	truth := map[string]string{
		"bank_name":           bank.name,
		"account_holder_name": holder,
		"account_number":      account,
		"ifsc":                ifsc,
		"statement_from":      from.Format("02/01/2006"),
		"statement_to":        to.Format("02/01/2006"),
		"opening_balance":     plainAmount(opening),
		"closing_balance":     plainAmount(closing),
		"transactions":        string(js),
	}
	return out, truth, lay.name
}
