package events_test

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
)

func mustParseQuantity(tb testing.TB, s string) events.Quantity {
	tb.Helper()
	q, err := events.ParseQuantity(s)
	if err != nil {
		tb.Fatalf("ParseQuantity(%q): %v", s, err)
	}
	return q
}

func TestParseQuantity(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   string // canonical String
		value  string
		unit   string
		base   string
		approx bool
	}{
		{"Number", "60", "60", "60", "", "", false},
		{"Unit", "60 countries", "60 countries", "60", "countries", "countries", false},
		{"Tilde", "~60 countries", "~60 countries", "60", "countries", "countries", true},
		{"TildeSpace", "~ 60 countries", "~60 countries", "60", "countries", "countries", true},
		{"About", "about 60 countries", "~60 countries", "60", "countries", "countries", true},
		{"Some", "some 60", "~60", "60", "", "", true},
		{"Around", "Around 60 countries.", "~60 countries", "60", "countries", "countries", true},
		{"Scale", "1.5 trillion won", "1.5 trillion won", "1.5", "trillion won", "won", false},
		{"Thousands", "1,500 billion won", "1500 billion won", "1500", "billion won", "won", false},
		{"Millions", "1,234,567", "1234567", "1234567", "", "", false},
		{"Korean", "60개국", "60개국", "60", "개국", "개국", false},
		{"KoreanSpaced", "60 개국", "60개국", "60", "개국", "개국", false},
		{"KoreanApprox", "약 60개국", "~60개국", "60", "개국", "개국", true},
		{"KoreanOdd", "60여 개국", "~60개국", "60", "개국", "개국", true},
		{"KoreanOddJoined", "60여개국", "~60개국", "60", "개국", "개국", true},
		{"KoreanScale", "1.5조 원", "1.5조 원", "1.5", "조 원", "원", false},
		{"Japanese", "60か国", "60か国", "60", "か国", "カ国", false},
		{"JapaneseApprox", "約60カ国", "~60カ国", "60", "カ国", "カ国", true},
		{"JapaneseScale", "3千万人", "3千万人", "3", "千万人", "人", false},
		{"FullWidth", "６０％", "60%", "60", "%", "%", false},
		{"NegativePercent", "-3.5 percent", "-3.5 percent", "-3.5", "percent", "%", false},
		{"MinusSign", "−3.5 percent", "-3.5 percent", "-3.5", "percent", "%", false},
		{"Percent", "3.5%", "3.5%", "3.5", "%", "%", false},
		{"PlusSign", "+5", "5", "5", "", "", false},
		{"NegativeZero", "-0", "0", "0", "", "", false},
		{"LeadingZeros", "007 agents", "7 agents", "7", "agents", "agents", false},
		{"LeadingPoint", ".5 points", "0.5 points", "0.5", "points", "points", false},
		{"TrailingZerosKept", "60.0", "60.0", "60.0", "", "", false},
		{"SpacesFolded", "  60   member \t countries ", "60 member countries", "60", "member countries", "member countries", false},
		{"UnitCaseKept", "60 Countries", "60 Countries", "60", "Countries", "countries", false},
		{"OddStandalone", "60 여", "60 여", "60", "여", "여", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := events.ParseQuantity(tt.in)
			if err != nil {
				t.Fatalf("ParseQuantity(%q): %v", tt.in, err)
			}
			if got := q.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if got := q.Value(); got != tt.value {
				t.Errorf("Value() = %q, want %q", got, tt.value)
			}
			if got := q.Decimal().String(); got != tt.value {
				t.Errorf("Decimal() = %s, want %s", got, tt.value)
			}
			if got := q.Unit(); got != tt.unit {
				t.Errorf("Unit() = %q, want %q", got, tt.unit)
			}
			if got := q.BaseUnit(); got != tt.base {
				t.Errorf("BaseUnit() = %q, want %q", got, tt.base)
			}
			if got := q.Approximate(); got != tt.approx {
				t.Errorf("Approximate() = %v, want %v", got, tt.approx)
			}
			again, err := events.ParseQuantity(q.String())
			if err != nil {
				t.Fatalf("ParseQuantity(%q): %v", q.String(), err)
			}
			if again != q {
				t.Errorf("ParseQuantity(String()) = %#v, want %#v", again, q)
			}
		})
	}
}

func TestParseQuantityErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"ErrEmpty", "", "empty"},
		{"ErrNoNumber", "countries", "does not start with a number"},
		{"ErrApproxOnly", "about", "does not start with a number"},
		{"ErrCurrencySign", "$60", "does not start with a number"},
		{"ErrDecimalComma", "1,5", "commas separate thousands"},
		{"ErrBadGroups", "15,00", "commas separate thousands"},
		{"ErrTwoPoints", "1.5.2", "one decimal point"},
		{"ErrRange", "60-70 countries", "ranges are not supported"},
		{"ErrTwoNumbers", "60 60", "does not start like a unit"},
		{"ErrCompound", "1조5000억 원", "compound numbers"},
		{"ErrTooLong", strings.Repeat("9", 101), "more than 100 digits"},
		{"ErrInvalidUTF8", "60 \xff", "not valid UTF-8"},
		{"ErrControl", "60 a\x00b", "unprintable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := events.ParseQuantity(tt.in)
			if err == nil {
				t.Fatalf("ParseQuantity(%q) = %v, want an error", tt.in, q)
			}
			if got := err.Error(); !strings.Contains(got, tt.want) || !strings.HasPrefix(got, "quantity ") {
				t.Errorf("error = %q, want it to start with %q and contain %q", got, "quantity ", tt.want)
			}
		})
	}
}

func TestQuantityCompatible(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"Same", "60 countries", "60 countries", true},
		{"ExactDiffer", "60", "62", false},
		{"ApproxCovers", "~60", "62", true},
		{"ApproxCoversUnit", "~60 countries", "62 countries", true},
		{"ApproxReachesEdge", "~60", "70", true},
		{"ApproxBeyond", "~60", "71", false},
		{"ApproxSignificant", "~62", "63", true},
		{"ApproxSignificantBeyond", "~62", "64", false},
		{"ApproxDecimal", "~1.5", "1.6", true},
		{"ApproxDecimalBeyond", "~1.5", "1.7", false},
		{"WithinHalfUnit", "60", "60.4", true},
		{"BeyondHalfUnit", "60", "60.6", false},
		{"TouchingHalfUnits", "60", "60.5", true},
		{"MorePrecise", "60.0", "60.4", false},
		{"DecimalHalfUnit", "1.5", "1.54", true},
		{"DecimalBeyond", "1.5", "1.56", false},
		{"ScaleWords", "1.5 trillion won", "1,500 billion won", true},
		{"ScaleWordsDiffer", "1.5 trillion won", "1,600 billion won", false},
		{"ScaleVsPlain", "3 million", "3,000,000", true},
		{"KoreanScale", "1.5조 원", "15000억 원", true},
		{"JapaneseScale", "3千万人", "3000万人", true},
		{"DifferentUnits", "60 countries", "60 states", false},
		{"TranslatedUnitsDiffer", "60 countries", "60개국", false},
		{"UnitCase", "60 Countries", "60 countries", true},
		{"EmptyVsUnit", "60", "60 countries", false},
		{"PercentSpellings", "3.5%", "3.5 percent", true},
		{"JapaneseCounters", "60か国", "約60カ国", true},
		{"Negative", "-3.5 percent", "-3.3 percent", false},
		{"NegativeApprox", "~-3.5 percent", "-3.4 percent", true},
		{"ApproxZero", "~0", "1", true},
		{"BothApprox", "~60", "~80", true},
		{"BothApproxApart", "~60", "~90", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := mustParseQuantity(t, tt.a), mustParseQuantity(t, tt.b)
			if got := a.Compatible(b); got != tt.want {
				t.Errorf("(%s).Compatible(%s) = %v, want %v", a, b, got, tt.want)
			}
			if got := b.Compatible(a); got != tt.want {
				t.Errorf("(%s).Compatible(%s) = %v, want %v", b, a, got, tt.want)
			}
		})
	}
	t.Run("ZeroQuantity", func(t *testing.T) {
		var zero events.Quantity
		if got, want := zero.Compatible(mustParseQuantity(t, "0")), false; got != want {
			t.Errorf("zero.Compatible(0) = %v, want %v", got, want)
		}
	})
}

func TestQuantityDecimalIsACopy(t *testing.T) {
	q := mustParseQuantity(t, "1.5 trillion won")
	d := q.Decimal()
	d.Exponent = 5
	if got, want := q.Decimal().String(), "1.5"; got != want {
		t.Errorf("Decimal() after changing a copy = %s, want %s", got, want)
	}
}

func TestQuantityEncoding(t *testing.T) {
	type record struct {
		Count events.Quantity `json:"count"`
		Other events.Quantity `json:"other"`
	}
	in := record{Count: mustParseQuantity(t, "about 1,500 billion won")}
	t.Run("JSON", func(t *testing.T) {
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := string(b), `{"count":"~1500 billion won","other":""}`; got != want {
			t.Errorf("json = %s, want %s", got, want)
		}
		var out record
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		if out != in {
			t.Errorf("round trip = %+v, want %+v", out, in)
		}
	})
	t.Run("Gob", func(t *testing.T) {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(in); err != nil {
			t.Fatal(err)
		}
		var out record
		if err := gob.NewDecoder(&buf).Decode(&out); err != nil {
			t.Fatal(err)
		}
		if out != in {
			t.Errorf("round trip = %+v, want %+v", out, in)
		}
	})
}

func ExampleQuantity_Compatible() {
	a, _ := events.ParseQuantity("1.5 trillion won")
	b, _ := events.ParseQuantity("1,500 billion won")
	c, _ := events.ParseQuantity("about 60 countries")
	d, _ := events.ParseQuantity("62 countries")
	e, _ := events.ParseQuantity("60 countries")
	fmt.Println(a.Compatible(b), c.Compatible(d), e.Compatible(d))
	fmt.Println(b, c)
	// Output:
	// true true false
	// 1500 billion won ~60 countries
}

func TestParseQuantityExponent(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string // canonical String
		value   string // Value: the number written out
		decimal string // Decimal().String()
		unit    string
	}{
		{"Exponent", "1.5e3 won", "1.5e3 won", "1500", "1.5E+3", "won"},
		{"CapitalE", "1.5E3 won", "1.5e3 won", "1500", "1.5E+3", "won"},
		{"PlusSign", "1.5e+3 won", "1.5e3 won", "1500", "1.5E+3", "won"},
		{"LeadingZeros", "1.5e03", "1.5e3", "1500", "1.5E+3", ""},
		{"Negative", "-2.5e-3 g", "-2.5e-3 g", "-0.0025", "-0.0025", "g"},
		{"ZeroExponent", "1.5e0", "1.5", "1.5", "1.5", ""},
		{"ThousandsMantissa", "1,500e3", "1500e3", "1500000", "1.500E+6", ""},
		{"Percent", "1e2%", "1e2%", "100", "1E+2", "%"},
		{"Bound", "1e100", "1e100", "1" + strings.Repeat("0", 100), "1E+100", ""},
		{"UnitStartingWithE", "3eggs", "3 eggs", "3", "3", "eggs"},
		{"SpacedE", "1 e3", "1 e3", "1", "1", "e3"}, // as stored before exponents were read
		{"SpacedX", "0 x10", "0 x10", "0", "0", "x10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := events.ParseQuantity(tt.in)
			if err != nil {
				t.Fatalf("ParseQuantity(%q): %v", tt.in, err)
			}
			if got := q.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if got := q.Value(); got != tt.value {
				t.Errorf("Value() = %q, want %q", got, tt.value)
			}
			if got := q.Decimal().String(); got != tt.decimal {
				t.Errorf("Decimal() = %s, want %s", got, tt.decimal)
			}
			if got := q.Unit(); got != tt.unit {
				t.Errorf("Unit() = %q, want %q", got, tt.unit)
			}
			again, err := events.ParseQuantity(q.String())
			if err != nil || again != q {
				t.Errorf("ParseQuantity(String() = %q) = %#v, %v; want %#v", q.String(), again, err, q)
			}
		})
	}
}

func TestParseQuantityRefusesOtherNotations(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"ErrHuge", "1e999999", "exponent 999999 is out of range"},
		{"ErrHugeNegative", "1e-101", "exponent -101 is out of range"},
		{"ErrBeyondBound", "1e101 won", "exponents run from -100 to 100"},
		{"ErrHex", "0x10", "hexadecimal numbers are not quantities"},
		{"ErrHexUpper", "0XFF items", "hexadecimal numbers are not quantities"},
		{"ErrOctal", "0o17", "octal numbers are not quantities"},
		{"ErrBinary", "0b101", "binary numbers are not quantities"},
		{"ErrUnderscore", "1_000 people", `'_' is not a digit separator`},
		{"ErrApostrophe", "1'000", `'\'' is not a digit separator`},
		{"ErrSpaceGroups", "1 000", "does not start like a unit"},
		{"ErrInf", "Inf", "does not start with a number"},
		{"ErrInfinity", "-Infinity", "does not start with a number"},
		{"ErrNaN", "NaN", "does not start with a number"},
		{"ErrTwoSigns", "+-1", "one sign"},
		{"ErrTwoMinus", "--1", "one sign"},
		{"ErrLoneE", "1e", "exponent needs digits"},
		{"ErrESign", "1e+ won", "exponent needs digits"},
		{"ErrEMinus", "1E-x", "exponent needs digits"},
		{"ErrPointE", "1.e3", "a decimal point needs digits after it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := events.ParseQuantity(tt.in)
			if err == nil {
				t.Fatalf("ParseQuantity(%q) = %q, want an error", tt.in, q)
			}
			if got := err.Error(); !strings.Contains(got, tt.want) {
				t.Errorf("error = %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

func TestQuantityExponentPrecision(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"1.5e3 won", "1500 won", true},
		{"1.5e3 won", "1549 won", true},
		{"1.5e3 won", "1551 won", false},
		{"1.5e3 won", "1.5 thousand won", true},
		{"~1.5e3", "1590", true},
		{"~1.5e3", "1610", false},
		{"2.5e-3 g", "0.0025 g", true},
		{"2.5e-3 g", "0.0027 g", false},
	}
	for _, tt := range tests {
		a, b := mustParseQuantity(t, tt.a), mustParseQuantity(t, tt.b)
		if got := a.Compatible(b); got != tt.want {
			t.Errorf("(%s).Compatible(%s) = %v, want %v", a, b, got, tt.want)
		}
	}
	if a, b := mustParseQuantity(t, "1500 won"), mustParseQuantity(t, "1.5e3 won"); !a.MorePrecise(b) || b.MorePrecise(a) {
		t.Errorf("1500 won should be more precise than 1.5e3 won")
	}
}
