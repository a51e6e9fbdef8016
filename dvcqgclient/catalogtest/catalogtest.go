// Package catalogtest is a national portal's adapter endpoint serving a
// procedure catalogue (dvcqg/PROTOCOL.md, style A: auth, LayDanhSachTTHC,
// LayThuTuc), for tests. Only tests import it.
package catalogtest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dvcqg"
)

// The credentials the portal accepts (the demo's of province 01).
const (
	Username = "tinh-01"
	Password = "matkhau-01"
)

// Portal is the adapter with its catalogue.
type Portal struct {
	*httptest.Server
	// Logins and Calls count the logins and the integration calls.
	Logins, Calls atomic.Int32

	mu       sync.Mutex
	records  map[string]dvcqg.ProcedureRecord
	sessions map[string]bool
	down     bool
}

// New starts an adapter serving records, closed when the test ends.
func New(t testing.TB, records ...dvcqg.ProcedureRecord) *Portal {
	p := &Portal{records: map[string]dvcqg.ProcedureRecord{}, sessions: map[string]bool{}}
	for _, r := range records {
		p.records[r.MaTTHC] = r
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /dvcqg/adapter/auth", p.auth)
	mux.HandleFunc("POST /dvcqg/adapter/integration", p.integration)
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

// Put adds or replaces a procedure of the catalogue.
func (p *Portal) Put(r dvcqg.ProcedureRecord) {
	p.mu.Lock()
	p.records[r.MaTTHC] = r
	p.mu.Unlock()
}

// Remove takes a procedure out of the catalogue.
func (p *Portal) Remove(code string) {
	p.mu.Lock()
	delete(p.records, code)
	p.mu.Unlock()
}

// Record is a procedure of the catalogue.
func (p *Portal) Record(code string) dvcqg.ProcedureRecord {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.records[code]
}

// ExpireSessions ends every session, as the portal does after 30 minutes.
func (p *Portal) ExpireSessions() {
	p.mu.Lock()
	p.sessions = map[string]bool{}
	p.mu.Unlock()
}

// SetDown makes every call answer HTTP 503.
func (p *Portal) SetDown(down bool) {
	p.mu.Lock()
	p.down = down
	p.mu.Unlock()
}

func reply(w http.ResponseWriter, r dvcqg.Reply) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(r)
}

func (p *Portal) isDown(w http.ResponseWriter) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		http.Error(w, "quá tải", http.StatusServiceUnavailable)
	}
	return p.down
}

func (p *Portal) auth(w http.ResponseWriter, r *http.Request) {
	if p.isDown(w) {
		return
	}
	var in struct{ Username, Password string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, "bad JSON", http.StatusBadRequest)
		return
	}
	if in.Username != Username || in.Password != Password {
		reply(w, dvcqg.Reply{ErrorCode: dvcqg.CodeAuth, Message: "Sai tên đăng nhập hoặc mật khẩu"})
		return
	}
	p.Logins.Add(1)
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	s := hex.EncodeToString(b)
	p.mu.Lock()
	p.sessions[s] = true
	p.mu.Unlock()
	reply(w, dvcqg.Reply{ErrorCode: dvcqg.CodeOK, Message: "Đăng nhập thành công", Session: s})
}

func (p *Portal) integration(w http.ResponseWriter, r *http.Request) {
	if p.isDown(w) {
		return
	}
	p.Calls.Add(1)
	var in struct {
		Session string `json:"session"`
		Service string `json:"service"`
		MaTTHC  string `json:"maTTHC"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, "bad JSON", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.sessions[in.Session] {
		reply(w, dvcqg.Reply{ErrorCode: dvcqg.CodeAuth, Message: "Phiên làm việc không hợp lệ hoặc đã hết hạn"})
		return
	}
	var result any
	switch in.Service {
	case "LayDanhSachTTHC":
		list := make([]map[string]any, 0, len(p.records))
		for _, rec := range p.records {
			item := map[string]any{"MATTHC": rec.MaTTHC, "TENTTHC": rec.TenTTHC}
			if len(rec.LinhVuc) > 0 {
				item["MALINHVUC"], item["TENLINHVUC"] = rec.LinhVuc[0].MaLinhVuc, rec.LinhVuc[0].TenLinhVuc
			}
			if len(rec.CapThucHien) > 0 {
				item["CAPTHUCHIEN"] = rec.CapThucHien[0].Name
			}
			if rec.TrangThai != "" {
				item["TRANGTHAI"] = rec.TrangThai
			}
			list = append(list, item)
		}
		sort.Slice(list, func(i, j int) bool { return list[i]["MATTHC"].(string) < list[j]["MATTHC"].(string) })
		result = list
	case "LayThuTuc":
		rec, ok := p.records[in.MaTTHC]
		if !ok {
			reply(w, dvcqg.Reply{ErrorCode: dvcqg.CodeNotFound, Message: "Không tìm thấy thủ tục " + in.MaTTHC})
			return
		}
		result = []dvcqg.ProcedureRecord{rec}
	default:
		reply(w, dvcqg.Reply{ErrorCode: dvcqg.CodeInvalid, Message: "Dịch vụ không hỗ trợ: " + in.Service})
		return
	}
	b, _ := json.Marshal(result)
	reply(w, dvcqg.Reply{ErrorCode: dvcqg.CodeOK, Message: "Thành công", Result: b})
}

// FromProcedure is the record the portal would give of a procedure of the
// catalogue under the national code: its name, field, level, processing
// time and fees (in person), legal basis, papers and result.
func FromProcedure(p catalog.Procedure, national string) dvcqg.ProcedureRecord {
	r := dvcqg.ProcedureRecord{MaTTHC: national, TenTTHC: p.Name, LinhVuc: []dvcqg.FieldRef{{MaLinhVuc: "LV-" + dvcqg.Text(national), TenLinhVuc: p.Field}}}
	switch p.Level {
	case catalog.LevelCommune:
		r.CapThucHien = dvcqg.Levels{{Code: "4", Name: "Cấp Xã"}}
	case catalog.LevelProvince:
		r.CapThucHien = dvcqg.Levels{{Code: "2", Name: "Cấp Tỉnh"}}
	}
	tl := dvcqg.TimeLimit{ThoiGianGiaiQuyet: dvcqg.Text(strconv.Itoa(p.ProcessingTime.Days)), DonViTinh: "Ngày làm việc", PhiLePhi: []dvcqg.FeeRecord{}}
	if p.ProcessingTime.Hours > 0 {
		tl.ThoiGianGiaiQuyet, tl.DonViTinh = dvcqg.Text(strconv.Itoa(p.ProcessingTime.Hours)), "Giờ làm việc"
	}
	for _, f := range p.Fees {
		tl.PhiLePhi = append(tl.PhiLePhi, dvcqg.FeeRecord{MaPhiLePhi: dvcqg.Text(f.Code), SoTien: dvcqg.Text(strconv.FormatInt(f.Amount, 10)), DonVi: "Đồng", MoTa: f.Name})
	}
	r.CachThuc = []dvcqg.Way{{Kenh: "1", ThoiGian: []dvcqg.TimeLimit{tl}}}
	for _, l := range p.LegalBasis {
		r.CanCu = append(r.CanCu, dvcqg.LegalRef{TenVanBan: l})
	}
	var papers []dvcqg.Paper
	for _, c := range p.Components {
		papers = append(papers, dvcqg.Paper{MaGiayTo: dvcqg.Text(c.Code), TenGiayTo: c.Name, SoBanChinh: "1"})
	}
	r.ThanhPhan = []dvcqg.ComponentCase{{GiayTo: papers}}
	if p.Result.Name != "" {
		r.KetQua = []dvcqg.ResultRef{{MaKetQua: "KQ01", TenKetQua: p.Result.Name}}
	}
	r.TrangThai = "1"
	return r
}
