package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/vntext"
)

// codePattern is the shape of a national procedure code: "1.001193",
// "2.000488", or a locally assigned code with a province prefix
// ("QNI-290001"); it is deliberately permissive but bounded.
var codePattern = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.\-_]{2,39}$`)

// agencyKindPattern: "commune_committee", "department:tu-phap", "police".
var agencyKindPattern = regexp.MustCompile(`^[a-z_]+(:[a-z0-9\-]+)?$`)

// ProvisionalFields are the field names a procedure may mark provisional.
var ProvisionalFields = []string{"code", "name", "field", "processing_time", "verification_time", "fees", "legal_basis", "components", "workflow", "online_level", "agency_kind"}

// Validate checks a procedure and normalises its text (NFC). It returns an
// Invalid *errs.Error listing every problem found.
func Validate(p *Procedure) error {
	var fe []errs.FieldError
	add := func(field, key, msg string) {
		fe = append(fe, errs.FieldError{Field: field, Key: key, Message: msg})
	}
	p.Name = strings.TrimSpace(vntext.NFC(p.Name))
	p.Field = strings.TrimSpace(vntext.NFC(p.Field))
	p.Code = strings.TrimSpace(p.Code)
	if !codePattern.MatchString(p.Code) {
		add("code", "invalid_code", "Mã thủ tục không hợp lệ (ví dụ: 1.001193).")
	}
	if p.Name == "" {
		add("name", "required", "Tên thủ tục là bắt buộc.")
	}
	if p.Field == "" {
		add("field", "required", "Lĩnh vực là bắt buộc.")
	}
	switch p.Level {
	case LevelProvince, LevelCommune:
	default:
		add("level", "invalid_level", "Cấp thực hiện phải là province (tỉnh) hoặc commune (xã).")
	}
	if !agencyKindPattern.MatchString(p.AgencyKind) {
		add("agency_kind", "invalid_agency_kind", "Loại cơ quan có thẩm quyền không hợp lệ (ví dụ: commune_committee, department:tu-phap).")
	}
	pt := p.ProcessingTime
	switch {
	case pt.Days < 0 || pt.Hours < 0:
		add("processing_time", "negative", "Thời hạn giải quyết không được âm.")
	case pt.Days > 0 && pt.Hours > 0:
		add("processing_time", "days_or_hours", "Thời hạn giải quyết tính theo ngày làm việc hoặc theo giờ làm việc, không cả hai.")
	case pt.Days == 0 && pt.Hours == 0:
		add("processing_time", "required", "Cần có thời hạn giải quyết (số ngày hoặc số giờ làm việc).")
	case pt.Days > 365 || pt.Hours > 2000:
		add("processing_time", "too_long", "Thời hạn giải quyết quá dài.")
	}
	if vt := p.VerificationTime; vt != nil {
		switch {
		case vt.Days < 0 || vt.Hours < 0 || vt.Days > 0 && vt.Hours > 0 || vt.Days == 0 && vt.Hours == 0:
			add("verification_time", "invalid", "Thời hạn khi cần xác minh tính theo ngày làm việc hoặc theo giờ làm việc, lớn hơn 0, không cả hai.")
		case vt.Days > 365 || vt.Hours > 2000:
			add("verification_time", "too_long", "Thời hạn khi cần xác minh quá dài.")
		case !vt.Longer(pt):
			add("verification_time", "not_longer", "Thời hạn khi cần xác minh phải dài hơn thời hạn giải quyết.")
		}
	}
	switch p.SupplementRule {
	case "":
		p.SupplementRule = SupplementRestart
	case SupplementPause, SupplementRestart:
	default:
		add("supplement_rule", "invalid", "Quy tắc bổ sung hồ sơ phải là pause hoặc restart.")
	}
	switch p.OnlineLevel {
	case OnlineFull, OnlinePartial, OnlineNone:
	default:
		add("online_level", "invalid", "Mức độ trực tuyến phải là full, partial hoặc none.")
	}
	seen := map[string]bool{}
	for i, f := range p.Fees {
		path := fmt.Sprintf("fees[%d]", i)
		p.Fees[i].Name = vntext.NFC(strings.TrimSpace(f.Name))
		if f.Code == "" || seen["fee:"+f.Code] {
			add(path+".code", "invalid_code", "Mã khoản phí trống hoặc bị trùng.")
		}
		seen["fee:"+f.Code] = true
		if p.Fees[i].Name == "" {
			add(path+".name", "required", "Tên khoản phí là bắt buộc.")
		}
		if f.Amount < 0 {
			add(path+".amount", "negative", "Mức phí không được âm.")
		}
	}
	validateFees(p, add)
	if len(p.Components) == 0 {
		add("components", "required", "Thủ tục phải có ít nhất một thành phần hồ sơ.")
	}
	for i, c := range p.Components {
		path := fmt.Sprintf("components[%d]", i)
		p.Components[i].Name = vntext.NFC(strings.TrimSpace(c.Name))
		if c.Code == "" || seen["comp:"+c.Code] {
			add(path+".code", "invalid_code", "Mã thành phần hồ sơ trống hoặc bị trùng.")
		}
		seen["comp:"+c.Code] = true
		if p.Components[i].Name == "" {
			add(path+".name", "required", "Tên thành phần hồ sơ là bắt buộc.")
		}
		switch c.Form {
		case FormOriginal, FormCopy, FormEither:
		case "":
			p.Components[i].Form = FormEither
		default:
			add(path+".form", "invalid", "Hình thức phải là original (bản chính), copy (bản sao) hoặc either.")
		}
		if r := c.ReplaceableBy; r != nil && (r.Dataset == "" || r.Field == "") {
			add(path+".replaceable_by", "invalid", "Dữ liệu thay thế phải nêu rõ tập dữ liệu và trường.")
		}
	}
	if len(p.FormSchema) == 0 {
		add("form_schema", "required", "Thủ tục phải có biểu mẫu tờ khai (JSON Schema).")
	} else if _, err := CompileForm(p.FormSchema); err != nil {
		if e, ok := errs.As(err); ok && len(e.Fields) > 0 {
			fe = append(fe, e.Fields...)
		} else if ok {
			add("form_schema", e.Key, e.Message)
		} else {
			add("form_schema", "invalid", err.Error())
		}
	}
	steps := p.Workflow.Steps
	if len(steps) == 0 {
		add("workflow.steps", "required", "Quy trình phải có ít nhất một bước.")
	}
	total := 0
	for i, s := range steps {
		path := fmt.Sprintf("workflow.steps[%d]", i)
		steps[i].Name = vntext.NFC(strings.TrimSpace(s.Name))
		if steps[i].Name == "" {
			add(path+".name", "required", "Tên bước là bắt buộc.")
		}
		if !slices.Contains(StepRoles, s.Role) {
			add(path+".role", "invalid_role", "Vai trò của bước phải là receiver, specialist, leader hoặc clerk.")
		}
		if s.Agency != "" && s.Agency != "competent" && !agencyKindPattern.MatchString(s.Agency) {
			add(path+".agency", "invalid_agency", "Cơ quan thực hiện bước không hợp lệ.")
		}
		if s.Share < 0 || s.Share > 100 {
			add(path+".share", "invalid_share", "Tỷ lệ thời gian của bước phải từ 0 đến 100.")
		}
		total += s.Share
	}
	if len(steps) > 0 && total != 100 {
		add("workflow.steps", "shares_total", fmt.Sprintf("Tổng tỷ lệ thời gian các bước phải bằng 100 (hiện là %d).", total))
	}
	if wb := p.Result.WriteBack; wb != nil {
		if wb.Dataset == "" || len(wb.Fields) == 0 {
			add("result.write_back", "invalid", "Cập nhật kết quả vào dữ liệu phải nêu tập dữ liệu và các trường.")
		}
		for f, src := range wb.Fields {
			kind, rest, _ := strings.Cut(src, ":")
			if !(kind == "form" && rest != "" || kind == "const" || slices.Contains(WriteBackSources, src)) {
				add("result.write_back.fields."+f, "invalid", "Nguồn dữ liệu không hợp lệ: "+src+".")
			}
		}
	}
	p.Result.Name = vntext.NFC(strings.TrimSpace(p.Result.Name))
	if p.Result.Name == "" {
		add("result.name", "required", "Tên kết quả giải quyết là bắt buộc.")
	}
	for _, f := range p.Provisional {
		if !slices.Contains(ProvisionalFields, f) {
			add("provisional", "invalid", fmt.Sprintf("Trường %q không thể đánh dấu tạm thời.", f))
		}
	}
	if len(fe) > 0 {
		return errs.InvalidFields("procedure.invalid", fmt.Sprintf("Thủ tục %q không hợp lệ.", p.Code), "invalid procedure "+p.Code, fe)
	}
	return nil
}

// File is the import/export format of the catalogue.
type File struct {
	Version    int         `json:"version"`
	Procedures []Procedure `json:"procedures"`
}

// Parse reads a catalogue file (strict JSON: unknown fields are errors),
// validates every procedure and rejects duplicate codes. The error lists
// every problem with the procedure's position and code.
func Parse(r io.Reader) ([]Procedure, error) {
	data, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("read catalogue: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, errs.Wrap(errs.Invalid, "catalog.json", "Tệp danh mục thủ tục không đúng định dạng JSON: "+err.Error(), "catalogue is not valid JSON: "+err.Error(), err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errs.New(errs.Invalid, "catalog.json", "Tệp danh mục thủ tục có dữ liệu thừa sau đối tượng JSON.", "trailing data after the catalogue")
	}
	if f.Version != 1 {
		return nil, errs.New(errs.Invalid, "catalog.version", "Phiên bản tệp danh mục phải là 1.", "catalogue version must be 1")
	}
	var fe []errs.FieldError
	codes := map[string]int{}
	for i := range f.Procedures {
		p := &f.Procedures[i]
		prefix := fmt.Sprintf("procedures[%d]", i)
		if p.Code != "" {
			prefix += "(" + p.Code + ")"
		}
		if err := Validate(p); err != nil {
			e, _ := errs.As(err)
			for _, x := range e.Fields {
				x.Field = prefix + "." + x.Field
				fe = append(fe, x)
			}
		}
		if j, dup := codes[p.Code]; dup {
			fe = append(fe, errs.FieldError{Field: prefix + ".code", Key: "duplicate", Message: fmt.Sprintf("Mã thủ tục trùng với thủ tục thứ %d.", j+1)})
		}
		codes[p.Code] = i
	}
	if len(fe) > 0 {
		return nil, errs.InvalidFields("catalog.invalid", fmt.Sprintf("Tệp danh mục có %d lỗi.", len(fe)), fmt.Sprintf("catalogue has %d problems", len(fe)), fe)
	}
	return f.Procedures, nil
}

// Write writes procedures in the import/export format, indented.
func Write(w io.Writer, ps []Procedure) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(File{Version: 1, Procedures: ps}); err != nil {
		return fmt.Errorf("write catalogue: %w", err)
	}
	return nil
}
