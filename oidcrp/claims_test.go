package oidcrp_test

import (
	"encoding/json"
	"testing"

	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/oidcrp"
)

// TestClaims: the national claims as the providers write them (numbers as
// numbers or text, levels as "2", 2, "LoA2", "IAL2" or lists).
func TestClaims(t *testing.T) {
	for _, tt := range []struct {
		name   string
		claims string
		want   identity.SignOnIdentity
	}{
		{"citizen, level as a number", `{"LoaiTaiKhoan":1,"SoDinhDanh":"001090012345","HoVaTen":"Nguyễn Văn An","loAs":2,"TechID":"T1"}`,
			identity.SignOnIdentity{Type: 1, CitizenID: "001090012345", Name: "Nguyễn Văn An", Level: 2, TechID: "T1"}},
		{"citizen, level as LoA text, type as text", `{"LoaiTaiKhoan":"1","SoDinhDanh":"001090012345","HoVaTen":"An","loAs":"LoA1"}`,
			identity.SignOnIdentity{Type: 1, CitizenID: "001090012345", Name: "An", Level: 1}},
		{"VNeID: IAL", `{"SoDinhDanh":"001090012345","HoVaTen":"An","IAL":"IAL2"}`,
			identity.SignOnIdentity{Type: 1, CitizenID: "001090012345", Name: "An", Level: 2}},
		{"acr and a list", `{"SoDinhDanh":"001090012345","HoVaTen":"An","acr":"LoA1","loAs":["LoA1","LoA2"]}`,
			identity.SignOnIdentity{Type: 1, CitizenID: "001090012345", Name: "An", Level: 2}},
		{"enterprise by MaSoDoanhNghiep, its name", `{"LoaiTaiKhoan":2,"MaSoDoanhNghiep":"0101234567","TenDoanhNghiep":"Công ty Hoa Sen","HoVaTen":"Người đại diện","loAs":"2"}`,
			identity.SignOnIdentity{Type: 2, TaxCode: "0101234567", Name: "Công ty Hoa Sen", Level: 2}},
		{"organisation", `{"LoaiTaiKhoan":3,"TechID":"ORG-1","HoVaTen":"Hội","ThuDienTu":"hoi@example.vn","SoDienThoai":"0912345678"}`,
			identity.SignOnIdentity{Type: 3, TechID: "ORG-1", Name: "Hội", Email: "hoi@example.vn", Phone: "0912345678"}},
		{"nothing usable", `{"loAs":{"x":1},"LoaiTaiKhoan":null}`, identity.SignOnIdentity{Type: 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var c map[string]any
			if err := json.Unmarshal([]byte(tt.claims), &c); err != nil {
				t.Fatal(err)
			}
			got := oidcrp.Claims("iss", "sub", c)
			tt.want.Issuer, tt.want.Subject = "iss", "sub"
			if got != tt.want {
				t.Errorf("Claims = %+v\nwant     %+v", got, tt.want)
			}
		})
	}
}

// FuzzClaims: any claims an ID token may carry are read without a panic,
// and what is read either validates or is refused with a message.
func FuzzClaims(f *testing.F) {
	f.Add(`{"LoaiTaiKhoan":1,"SoDinhDanh":"001090012345","HoVaTen":"An","loAs":2}`)
	f.Add(`{"LoaiTaiKhoan":"3","TechID":"x","loAs":["LoA9",1e308,-1]}`)
	f.Add(`{"LoaiTaiKhoan":99999999999999999999,"IAL":"IAL222222222222222222"}`)
	f.Fuzz(func(t *testing.T, s string) {
		var c map[string]any
		if json.Unmarshal([]byte(s), &c) != nil {
			return
		}
		id := oidcrp.Claims("https://sso.example.vn", "sub", c)
		if id.Level < 0 || id.Level > 9 {
			t.Fatalf("level %d", id.Level)
		}
		if err := id.Validate(); err == nil && id.Key() == "" {
			t.Fatalf("valid without a key: %+v", id)
		}
	})
}
