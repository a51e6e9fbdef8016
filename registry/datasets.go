package registry

import "github.com/motcua/motcua/identity"

// The codes of the built-in datasets.
const (
	Population      = "population"
	CivilStatus     = "civil_status"
	Enterprise      = "enterprise"
	Land            = "land"
	SocialInsurance = "social_insurance"
	Results         = "results"
)

// Civil-status record kinds.
const (
	KindBirth    = "khai_sinh"
	KindMarriage = "ket_hon"
	KindDeath    = "khai_tu"
)

var (
	officials = []identity.Role{identity.RoleReceiver, identity.RoleSpecialist, identity.RoleLeader}
	counter   = []identity.Role{identity.RoleReceiver, identity.RoleSpecialist}
)

// standardPolicies: the citizen reads their own record to prefill a form
// (prefill fields only) and to replace a component; counter officials
// replace components of walk-ins; handling officials read everything to
// appraise.
func standardPolicies(prefill []string) []Policy {
	return []Policy{
		{Purpose: PurposePrefill, Self: true, Roles: counter, Fields: prefill},
		{Purpose: PurposeReplace, Self: true, Roles: counter},
		{Purpose: PurposeAppraisal, Roles: officials},
		{Purpose: PurposeExchange, Roles: []identity.Role{identity.RoleSpecialist}},
	}
}

// Builtin returns the datasets every province has. The national codes
// (MaCSDL) are provisional: the national portal's code list was not
// available to us.
func Builtin() []Dataset {
	return []Dataset{
		{
			Code: Population, NationalCode: "CSDLQGDC", Name: "Cơ sở dữ liệu quốc gia về dân cư",
			Owner: "police", OwnerName: "Công an tỉnh (Bộ Công an)",
			KeyField: "citizen_id", SubjectField: "citizen_id", OnePerSubject: true, FreshDays: 365,
			Fields: []Field{
				{Name: "citizen_id", Label: "Số định danh cá nhân", Type: CitizenID, Required: true, Personal: true},
				{Name: "full_name", Label: "Họ, chữ đệm và tên", Type: Text, Required: true, Personal: true},
				{Name: "birth_date", Label: "Ngày sinh", Type: Date, Required: true, Personal: true},
				{Name: "gender", Label: "Giới tính", Type: Enum, Values: []string{"Nam", "Nữ"}, Required: true, Personal: true},
				{Name: "ethnicity", Label: "Dân tộc", Type: Text, Required: true, Personal: true},
				{Name: "nationality", Label: "Quốc tịch", Type: Text, Required: true},
				{Name: "residence_commune", Label: "Xã/phường thường trú", Type: Commune, Required: true, Personal: true},
				{Name: "residence_address", Label: "Địa chỉ thường trú", Type: Text, Required: true, Personal: true},
				// When the permanent residence was registered (the residence
				// confirmation prints the time at each place).
				{Name: "residence_since", Label: "Ngày đăng ký thường trú", Type: Date, Personal: true},
				{Name: "household_id", Label: "Số hộ", Type: Code, Length: 12, Required: true, Personal: true},
				{Name: "relation_to_head", Label: "Quan hệ với chủ hộ", Type: Enum, Values: []string{"Chủ hộ", "Vợ", "Chồng", "Con", "Bố", "Mẹ", "Cháu", "Khác"}, Personal: true},
				// The household's head, for members other than the head (the
				// residence confirmation prints the head's name).
				{Name: "head_id", Label: "Số định danh cá nhân của chủ hộ", Type: CitizenID, Personal: true},
				// A temporary residence registered elsewhere (đăng ký tạm trú), if any.
				{Name: "temporary_commune", Label: "Xã/phường tạm trú", Type: Commune, Personal: true},
				{Name: "temporary_address", Label: "Địa chỉ tạm trú", Type: Text, Personal: true},
				// The temporary residence's registration and the end of its
				// term (at most two years, renewable: Law on Residence 2020
				// Art. 27(3)); past its end it is no longer a residence.
				{Name: "temporary_since", Label: "Ngày đăng ký tạm trú", Type: Date, Personal: true},
				{Name: "temporary_until", Label: "Thời hạn tạm trú đến ngày", Type: Date, Personal: true, Future: true},
				{Name: "marital_status", Label: "Tình trạng hôn nhân", Type: Enum, Values: []string{"Chưa kết hôn", "Đã kết hôn", "Ly hôn", "Góa"}, Personal: true},
				{Name: "phone", Label: "Số điện thoại", Type: Text, Personal: true},
				{Name: "email", Label: "Thư điện tử", Type: Text, Personal: true},
			},
			Items: map[string]Item{
				"residence": {Name: "Thông tin cư trú", Fields: []string{"citizen_id", "full_name", "birth_date", "residence_commune", "residence_address", "residence_since", "household_id", "relation_to_head", "head_id", "temporary_commune", "temporary_address", "temporary_since", "temporary_until"}},
				"identity":  {Name: "Thông tin nhân thân", Fields: []string{"citizen_id", "full_name", "birth_date", "gender", "ethnicity", "nationality"}},
			},
			Policies:    standardPolicies([]string{"citizen_id", "full_name", "birth_date", "gender", "ethnicity", "nationality", "residence_commune", "residence_address", "phone", "email"}),
			Provisional: []string{"national_code"},
		},
		{
			Code: CivilStatus, NationalCode: "CSDLHT", Name: "Cơ sở dữ liệu hộ tịch điện tử",
			Owner: "department:tu-phap", OwnerName: "Sở Tư pháp (Bộ Tư pháp)",
			KeyField: "record_no", SubjectField: "citizen_id", FreshDays: 3650,
			Fields: []Field{
				{Name: "record_no", Label: "Số đăng ký", Type: Text, Required: true},
				{Name: "kind", Label: "Loại việc hộ tịch", Type: Enum, Values: []string{KindBirth, KindMarriage, KindDeath}, Required: true},
				{Name: "citizen_id", Label: "Số định danh cá nhân", Type: CitizenID, Required: true, Personal: true},
				{Name: "full_name", Label: "Họ, chữ đệm và tên", Type: Text, Required: true, Personal: true},
				{Name: "birth_date", Label: "Ngày sinh", Type: Date, Personal: true},
				{Name: "gender", Label: "Giới tính", Type: Enum, Values: []string{"Nam", "Nữ"}, Personal: true},
				{Name: "father_name", Label: "Họ tên cha", Type: Text, Personal: true},
				{Name: "mother_name", Label: "Họ tên mẹ", Type: Text, Personal: true},
				{Name: "spouse_id", Label: "Số định danh của vợ/chồng", Type: CitizenID, Personal: true},
				{Name: "spouse_name", Label: "Họ tên vợ/chồng", Type: Text, Personal: true},
				{Name: "registered_on", Label: "Ngày đăng ký", Type: Date, Required: true},
				{Name: "registry_commune", Label: "Nơi đăng ký (xã/phường)", Type: Commune, Required: true},
			},
			Items: map[string]Item{
				"birth_record":   {Name: "Trích lục khai sinh", Fields: []string{"record_no", "citizen_id", "full_name", "birth_date", "gender", "father_name", "mother_name", "registered_on", "registry_commune"}, FilterField: "kind", FilterValue: KindBirth},
				"marital_status": {Name: "Tình trạng hôn nhân", Fields: []string{"record_no", "citizen_id", "full_name", "spouse_id", "spouse_name", "registered_on", "registry_commune"}, FilterField: "kind", FilterValue: KindMarriage},
			},
			Policies:    standardPolicies([]string{"full_name", "birth_date", "gender", "father_name", "mother_name"}),
			Provisional: []string{"national_code"},
		},
		{
			Code: Enterprise, NationalCode: "CSDLDKDN", Name: "Cơ sở dữ liệu về đăng ký doanh nghiệp và hộ kinh doanh",
			Owner: "department:tai-chinh", OwnerName: "Sở Tài chính (Bộ Tài chính)",
			KeyField: "tax_code", SubjectField: "owner_id", FreshDays: 365,
			Fields: []Field{
				{Name: "tax_code", Label: "Mã số doanh nghiệp/hộ kinh doanh", Type: TaxCode, Required: true},
				{Name: "kind", Label: "Loại hình", Type: Enum, Values: []string{"Hộ kinh doanh", "Doanh nghiệp tư nhân", "Công ty TNHH một thành viên", "Công ty TNHH hai thành viên trở lên", "Công ty cổ phần"}, Required: true},
				{Name: "name", Label: "Tên", Type: Text, Required: true},
				{Name: "owner_id", Label: "Số định danh của chủ sở hữu/người đại diện", Type: CitizenID, Required: true, Personal: true},
				{Name: "owner_name", Label: "Chủ sở hữu/người đại diện", Type: Text, Required: true, Personal: true},
				{Name: "commune", Label: "Xã/phường trụ sở", Type: Commune, Required: true},
				{Name: "address", Label: "Địa chỉ trụ sở", Type: Text, Required: true},
				{Name: "business_line", Label: "Ngành, nghề kinh doanh", Type: Text, Required: true},
				{Name: "capital", Label: "Vốn (đồng)", Type: Number},
				{Name: "registered_on", Label: "Ngày đăng ký lần đầu", Type: Date, Required: true},
				{Name: "status", Label: "Tình trạng", Type: Enum, Values: []string{"Đang hoạt động", "Tạm ngừng kinh doanh", "Đã chấm dứt hoạt động"}, Required: true},
			},
			Items: map[string]Item{
				"registration": {Name: "Thông tin đăng ký kinh doanh", Fields: []string{"tax_code", "kind", "name", "owner_name", "commune", "address", "business_line", "registered_on", "status"}},
			},
			Policies:    standardPolicies([]string{"tax_code", "kind", "name", "commune", "address", "business_line"}),
			Provisional: []string{"national_code"},
		},
		{
			Code: Land, NationalCode: "CSDLDD", Name: "Cơ sở dữ liệu đất đai",
			Owner: "department:nong-nghiep-moi-truong", OwnerName: "Sở Nông nghiệp và Môi trường",
			KeyField: "parcel_id", SubjectField: "owner_id", FreshDays: 1825,
			Fields: []Field{
				{Name: "parcel_id", Label: "Mã thửa đất", Type: Text, Required: true},
				{Name: "commune", Label: "Xã/phường", Type: Commune, Required: true},
				{Name: "sheet_no", Label: "Tờ bản đồ số", Type: Text, Required: true},
				{Name: "parcel_no", Label: "Thửa đất số", Type: Text, Required: true},
				{Name: "area_m2", Label: "Diện tích (m²)", Type: Number, Required: true},
				{Name: "land_use", Label: "Mục đích sử dụng", Type: Enum, Values: []string{"ODT", "ONT", "LUC", "BHK", "CLN", "NTS", "RSX"}, Required: true},
				{Name: "owner_id", Label: "Số định danh người sử dụng đất", Type: CitizenID, Required: true, Personal: true},
				{Name: "owner_name", Label: "Người sử dụng đất", Type: Text, Required: true, Personal: true},
				{Name: "certificate_no", Label: "Số phát hành Giấy chứng nhận", Type: Text},
				{Name: "certificate_on", Label: "Ngày cấp Giấy chứng nhận", Type: Date},
			},
			Items: map[string]Item{
				"parcel": {Name: "Thông tin thửa đất", Fields: []string{"parcel_id", "commune", "sheet_no", "parcel_no", "area_m2", "land_use", "owner_name", "certificate_no", "certificate_on"}},
			},
			Policies:    standardPolicies([]string{"parcel_id", "commune", "sheet_no", "parcel_no", "area_m2", "land_use", "certificate_no"}),
			Provisional: []string{"national_code"},
		},
		{
			Code: SocialInsurance, NationalCode: "CSDLBH", Name: "Cơ sở dữ liệu quốc gia về bảo hiểm",
			Owner: "social_insurance", OwnerName: "Bảo hiểm xã hội tỉnh",
			KeyField: "insurance_no", SubjectField: "citizen_id", OnePerSubject: true, FreshDays: 365,
			Fields: []Field{
				{Name: "insurance_no", Label: "Mã số bảo hiểm xã hội", Type: Code, Length: 10, Required: true, Personal: true},
				{Name: "citizen_id", Label: "Số định danh cá nhân", Type: CitizenID, Required: true, Personal: true},
				{Name: "full_name", Label: "Họ, chữ đệm và tên", Type: Text, Required: true, Personal: true},
				{Name: "birth_date", Label: "Ngày sinh", Type: Date, Required: true, Personal: true},
				{Name: "card_valid_to", Label: "Thẻ BHYT có giá trị đến", Type: Date, Personal: true, Future: true},
				{Name: "hospital", Label: "Nơi đăng ký khám chữa bệnh ban đầu", Type: Text, Personal: true},
				{Name: "status", Label: "Tình trạng tham gia", Type: Enum, Values: []string{"Đang tham gia", "Tạm dừng", "Đã hưởng một lần"}, Required: true},
			},
			Items: map[string]Item{
				"health_insurance": {Name: "Thông tin thẻ bảo hiểm y tế", Fields: []string{"insurance_no", "full_name", "birth_date", "card_valid_to", "hospital", "status"}},
			},
			Policies:    standardPolicies([]string{"insurance_no", "card_valid_to", "hospital"}),
			Provisional: []string{"national_code"},
		},
		{
			Code: Results, NationalCode: "KQGQTTHC", Name: "Kết quả giải quyết thủ tục hành chính điện tử",
			Owner: "service_centre", OwnerName: "Trung tâm Phục vụ hành chính công tỉnh",
			KeyField: "result_id", SubjectField: "holder_id", FreshDays: 0,
			Fields: []Field{
				{Name: "result_id", Label: "Mã kết quả", Type: Text, Required: true},
				{Name: "holder_id", Label: "Số định danh người được cấp", Type: CitizenID, Required: true, Personal: true},
				{Name: "holder_name", Label: "Người được cấp", Type: Text, Required: true, Personal: true},
				{Name: "name", Label: "Tên giấy tờ", Type: Text, Required: true},
				{Name: "number", Label: "Số, ký hiệu", Type: Text},
				{Name: "procedure_code", Label: "Mã thủ tục", Type: Text},
				{Name: "dossier_code", Label: "Mã hồ sơ", Type: Text},
				{Name: "issued_on", Label: "Ngày cấp", Type: Date, Required: true},
				{Name: "agency_id", Label: "Cơ quan cấp", Type: Agency},
				{Name: "commune", Label: "Xã/phường", Type: Commune},
			},
			Items: map[string]Item{
				"result": {Name: "Kết quả giải quyết thủ tục hành chính", Fields: []string{"result_id", "holder_name", "name", "number", "procedure_code", "issued_on", "agency_id"}},
			},
			Policies:    standardPolicies([]string{"result_id", "name", "number", "issued_on"}),
			Provisional: []string{"national_code"},
		},
	}
}
