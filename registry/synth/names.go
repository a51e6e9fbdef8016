package synth

// The name, ethnicity and place tables. Every string is in NFC with the
// tone placement vntext.NFC uses (Hòa, Thủy: the tone on the first vowel
// of a final oa/oe/uy), which the tests check.
//
// PROVISIONAL: the frequencies below are approximate, assembled from
// commonly cited figures (surname shares from press summaries of the
// population registry, the 2019 census for household size and ethnic
// groups by region); they make plausible data, not statistics. Replace
// them with official tables when available.

// region is a broad part of the country; it shifts surnames (Hoàng/Vũ in
// the north, Huỳnh/Võ further south), ethnic groups and the words of
// addresses (ngõ, kiệt, hẻm; thôn, bản, ấp).
type region int

const (
	north      region = iota // Red River delta and the north-central coast
	northHills               // the northern mountain provinces
	central                  // the central coast
	highlands                // the Central Highlands
	south                    // the south-east and the Mekong delta
)

// regionOf returns the region of a province (codes since 1/7/2025).
func regionOf(province string) region {
	switch province {
	case "04", "08", "11", "12", "14", "15", "19", "20":
		return northHills
	case "44", "46", "48", "51", "56":
		return central
	case "52", "66", "68":
		return highlands
	case "75", "79", "80", "82", "86", "91", "92", "96":
		return south
	}
	return north
}

// surnames returns the surname table of a region (percent of people,
// approximate; provisional). Nguyễn is about 38% everywhere.
func surnames(rg region) weighted[string] {
	hoang, huynh, vu, vo, truong, lam := 4.2, 0.4, 3.4, 0.6, 0.5, 0.3
	if rg == central || rg == south || rg == highlands {
		hoang, huynh, vu, vo, truong, lam = 1.4, 3.8, 0.9, 3.4, 1.0, 0.8
	}
	return table(
		row[string]{"Nguyễn", 38.4}, row[string]{"Trần", 11.0}, row[string]{"Lê", 9.5},
		row[string]{"Phạm", 7.0}, row[string]{"Hoàng", hoang}, row[string]{"Huỳnh", huynh},
		row[string]{"Phan", 4.0}, row[string]{"Vũ", vu}, row[string]{"Võ", vo},
		row[string]{"Đặng", 2.1}, row[string]{"Bùi", 2.0}, row[string]{"Đỗ", 1.6},
		row[string]{"Hồ", 1.1}, row[string]{"Ngô", 1.3}, row[string]{"Dương", 1.0},
		row[string]{"Lý", 0.5}, row[string]{"Đào", 0.8}, row[string]{"Đoàn", 0.7},
		row[string]{"Trịnh", 0.6}, row[string]{"Đinh", 0.7}, row[string]{"Lương", 0.4},
		row[string]{"Mai", 0.5}, row[string]{"Trương", truong}, row[string]{"Lâm", lam},
		row[string]{"Hà", 0.5}, row[string]{"Cao", 0.4}, row[string]{"Tạ", 0.3},
		row[string]{"Chu", 0.3}, row[string]{"Kiều", 0.2}, row[string]{"Lưu", 0.3},
		row[string]{"Tô", 0.2}, row[string]{"Vương", 0.2}, row[string]{"Thái", 0.2},
		row[string]{"Quách", 0.2}, row[string]{"Triệu", 0.2}, row[string]{"Phùng", 0.3},
		row[string]{"Nông", 0.2}, row[string]{"La", 0.1}, row[string]{"Khúc", 0.1},
	)
}

// Middle names (tên đệm) by gender and generation: Văn and Thị dominate
// among people born before the mid-1990s and are much rarer since.
var (
	middleMaleOld = table(
		row[string]{"Văn", 55}, row[string]{"Đức", 6}, row[string]{"Minh", 5}, row[string]{"Hữu", 5},
		row[string]{"Đình", 4}, row[string]{"Thanh", 4}, row[string]{"Công", 4}, row[string]{"Quốc", 3},
		row[string]{"Xuân", 3}, row[string]{"Ngọc", 3}, row[string]{"Quang", 3}, row[string]{"Mạnh", 2},
		row[string]{"Trọng", 2}, row[string]{"Tiến", 2}, row[string]{"Thế", 2}, row[string]{"Anh", 1},
	)
	middleMaleNew = table(
		row[string]{"Văn", 15}, row[string]{"Minh", 14}, row[string]{"Đức", 10}, row[string]{"Gia", 8},
		row[string]{"Bảo", 7}, row[string]{"Quốc", 6}, row[string]{"Hoàng", 6}, row[string]{"Anh", 5},
		row[string]{"Tuấn", 4}, row[string]{"Thành", 4}, row[string]{"Duy", 4}, row[string]{"Quang", 4},
		row[string]{"Hữu", 3}, row[string]{"Đăng", 3}, row[string]{"Nhật", 3}, row[string]{"Thanh", 3},
		row[string]{"Trung", 2}, row[string]{"Khánh", 2}, row[string]{"Hải", 2},
	)
	middleFemaleOld = table(
		row[string]{"Thị", 70}, row[string]{"Ngọc", 5}, row[string]{"Thu", 4}, row[string]{"Thanh", 4},
		row[string]{"Hồng", 3}, row[string]{"Kim", 3}, row[string]{"Minh", 2}, row[string]{"Thùy", 2},
		row[string]{"Phương", 2}, row[string]{"Bích", 2}, row[string]{"Mai", 2}, row[string]{"Hải", 1},
	)
	middleFemaleNew = table(
		row[string]{"Thị", 18}, row[string]{"Ngọc", 10}, row[string]{"Minh", 8}, row[string]{"Bảo", 7},
		row[string]{"Khánh", 6}, row[string]{"Thu", 5}, row[string]{"Phương", 5}, row[string]{"Thanh", 5},
		row[string]{"Gia", 4}, row[string]{"Hải", 4}, row[string]{"Thùy", 4}, row[string]{"Mai", 4},
		row[string]{"Quỳnh", 3}, row[string]{"Diệu", 3}, row[string]{"Tuệ", 3}, row[string]{"Kim", 3},
		row[string]{"Hà", 3}, row[string]{"Ánh", 2}, row[string]{"Hồng", 2},
	)
)

// Given names (tên), equally likely within a gender.
var (
	givenMale = uniform(
		"An", "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Giang",
		"Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Hưng", "Khang", "Khánh", "Khoa", "Khôi",
		"Kiên", "Lâm", "Long", "Lộc", "Mạnh", "Minh", "Nam", "Nghĩa", "Nhân", "Phong",
		"Phúc", "Quân", "Quang", "Sơn", "Tài", "Tâm", "Thắng", "Thành", "Thịnh", "Toàn",
		"Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Hậu", "Hiệp", "Đăng", "Đông",
		"Hào", "Lực", "Phát", "Thái", "Trí",
	)
	givenFemale = uniform(
		"An", "Anh", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền",
		"Hoa", "Hòa", "Hồng", "Huyền", "Hương", "Lan", "Liên", "Linh", "Loan", "Ly",
		"Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh",
		"Tâm", "Thảo", "Thu", "Thủy", "Trang", "Trâm", "Tuyết", "Uyên", "Vân", "Vy",
		"Xuân", "Yến", "Diệp", "Hân", "Nhi", "Thư", "Ánh", "Lam", "Thúy", "Hậu",
	)
)

// ethnicities returns the ethnic-group table of a province (percent,
// approximate by region after the 2019 census; provisional). Names follow
// the official list of 54 groups ("Mông", not "H'Mông"; "Mnông").
func ethnicities(province string, rg region) weighted[string] {
	switch {
	case rg == northHills:
		return table(
			row[string]{"Kinh", 38}, row[string]{"Tày", 18}, row[string]{"Thái", 12},
			row[string]{"Mông", 12}, row[string]{"Nùng", 9}, row[string]{"Dao", 7},
			row[string]{"Giáy", 1}, row[string]{"Hà Nhì", 1}, row[string]{"Sán Chay", 1}, row[string]{"Mường", 1},
		)
	case province == "25": // Phú Thọ, with the former Hòa Bình
		return table(row[string]{"Kinh", 82}, row[string]{"Mường", 14}, row[string]{"Thái", 1.5},
			row[string]{"Dao", 1.5}, row[string]{"Tày", 1})
	case province == "38" || province == "40": // Thanh Hóa, Nghệ An
		return table(row[string]{"Kinh", 85}, row[string]{"Thái", 7}, row[string]{"Mường", 6},
			row[string]{"Mông", 1}, row[string]{"Khơ Mú", 1})
	case rg == highlands:
		return table(row[string]{"Kinh", 70}, row[string]{"Gia Rai", 8}, row[string]{"Ê Đê", 7},
			row[string]{"Ba Na", 4}, row[string]{"Cơ Ho", 3}, row[string]{"Mnông", 2},
			row[string]{"Tày", 2}, row[string]{"Nùng", 2}, row[string]{"Mông", 1}, row[string]{"Dao", 1})
	case province == "51": // Quảng Ngãi, with the former Kon Tum
		return table(row[string]{"Kinh", 76}, row[string]{"Xơ Đăng", 10}, row[string]{"Hrê", 8},
			row[string]{"Ba Na", 3}, row[string]{"Co", 2}, row[string]{"Gié Triêng", 1})
	case province == "56": // Khánh Hòa, with the former Ninh Thuận
		return table(row[string]{"Kinh", 88}, row[string]{"Chăm", 6}, row[string]{"Raglai", 5},
			row[string]{"Hoa", 1})
	case rg == central:
		return table(row[string]{"Kinh", 96}, row[string]{"Bru Vân Kiều", 1.5}, row[string]{"Cơ Tu", 1.5},
			row[string]{"Tà Ôi", 0.6}, row[string]{"Hoa", 0.4})
	case province == "79":
		return table(row[string]{"Kinh", 93.5}, row[string]{"Hoa", 5}, row[string]{"Khmer", 0.6},
			row[string]{"Chăm", 0.3}, row[string]{"Tày", 0.3}, row[string]{"Nùng", 0.3})
	case rg == south:
		return table(row[string]{"Kinh", 91}, row[string]{"Khmer", 7.5}, row[string]{"Hoa", 1.2},
			row[string]{"Chăm", 0.3})
	}
	return table(row[string]{"Kinh", 98.4}, row[string]{"Mường", 0.6}, row[string]{"Tày", 0.3},
		row[string]{"Thái", 0.2}, row[string]{"Hoa", 0.2}, row[string]{"Nùng", 0.15},
		row[string]{"Dao", 0.1}, row[string]{"Sán Dìu", 0.05})
}

// Streets named after historical figures and dates, found in most towns.
var streets = uniform(
	"Trần Hưng Đạo", "Lê Lợi", "Nguyễn Trãi", "Quang Trung", "Hai Bà Trưng",
	"Lý Thường Kiệt", "Lê Duẩn", "Hùng Vương", "Nguyễn Huệ", "Phan Chu Trinh",
	"Phan Bội Châu", "Trần Phú", "Nguyễn Du", "Lê Thánh Tông", "Ngô Quyền",
	"Điện Biên Phủ", "Võ Thị Sáu", "Nguyễn Thị Minh Khai", "Bà Triệu", "Lý Thái Tổ",
	"Trần Quang Khải", "Nguyễn Văn Cừ", "Lạc Long Quân", "Âu Cơ", "Tô Hiến Thành",
	"Hoàng Hoa Thám", "Nguyễn Chí Thanh", "Lê Hồng Phong", "Phạm Văn Đồng", "Võ Văn Kiệt",
	"Tôn Đức Thắng", "Trường Chinh", "Nguyễn Tất Thành", "Cách Mạng Tháng Tám", "Ba Mươi Tháng Tư",
	"Chu Văn An", "Yết Kiêu", "Nguyễn Công Trứ", "Lê Quý Đôn", "Trần Nhân Tông",
	"Đinh Tiên Hoàng", "Lê Lai", "Hàm Nghi", "Phan Đình Phùng", "Nguyễn Thái Học",
	"Nguyễn Khuyến", "Hoàng Diệu", "Hoàng Văn Thụ", "Trần Khánh Dư", "Nguyễn Văn Linh",
)

// Hamlet names: the common ones of the delta and the coast, the Tai-language
// ones of the northern hills (bản) and the southern ones (ấp).
var (
	hamlets = uniform(
		"Đông", "Đoài", "Thượng", "Trung", "Hạ", "Nam", "Bắc", "Tân Lập", "Đồng Tâm", "Đoàn Kết",
		"Thắng Lợi", "Quyết Tiến", "Hòa Bình", "Phú Lợi", "An Hòa", "Tân Phú", "Bình An", "Yên Thịnh",
		"Phúc Lâm", "Đại Đồng", "Trung Hòa", "Tiền Phong", "Hưng Long", "Cổ Loan", "Văn Giáp",
	)
	hillHamlets = uniform(
		"Nà Sản", "Nà Lừa", "Pá Khoang", "Hua Nà", "Nậm Cang", "Co Mon", "Phiêng Luông",
		"Khuổi Nặm", "Nà Chang", "Nà Hang", "Pác Bó", "Lũng Vài", "Tả Phìn", "Sín Chải",
	)
	southHamlets = uniform(
		"Tân Hòa", "Bình Thạnh", "Long Hưng", "Mỹ Lợi", "Phú Hòa", "Thạnh Phú", "An Thới",
		"Hòa Lợi", "Tân Thuận", "Long Thạnh", "Mỹ Phước", "Phước Lộc", "Bến Đình", "Tân Quy",
		"Bình Đông", "Phú Mỹ", "Vĩnh Lợi", "An Bình",
	)
)

// Household businesses: the word in the business's name and its line.
type trade struct{ word, line string }

var householdTrades = uniform(
	trade{"Tạp hóa", "Bán lẻ hàng tạp hóa, đồ uống, thuốc lá"},
	trade{"Quán ăn", "Dịch vụ ăn uống"},
	trade{"Cà phê", "Kinh doanh dịch vụ cà phê, giải khát"},
	trade{"Sửa xe", "Bảo dưỡng, sửa chữa mô tô, xe máy"},
	trade{"Salon tóc", "Dịch vụ cắt tóc, gội đầu"},
	trade{"Thời trang", "Bán lẻ quần áo, giày dép"},
	trade{"Điện thoại", "Bán lẻ điện thoại di động và phụ kiện"},
	trade{"Vật liệu xây dựng", "Bán lẻ vật liệu xây dựng"},
	trade{"Giặt là", "Dịch vụ giặt là"},
	trade{"Hoa quả", "Bán lẻ rau quả tươi"},
	trade{"May đo", "May trang phục"},
	trade{"Điện máy", "Bán lẻ đồ điện gia dụng"},
	trade{"Bánh mì", "Sản xuất và bán lẻ bánh mì"},
	trade{"Phở", "Dịch vụ ăn uống"},
	trade{"Nhà thuốc", "Bán lẻ thuốc, dụng cụ y tế"},
	trade{"Văn phòng phẩm", "Bán lẻ sách, văn phòng phẩm"},
	trade{"Xay xát", "Xay xát thóc gạo"},
	trade{"Internet", "Dịch vụ truy cập internet"},
)

// Company sectors: the words of the company's name and its main line.
var companyTrades = uniform(
	trade{"Thương mại Dịch vụ", "Bán buôn tổng hợp"},
	trade{"Xây dựng", "Xây dựng nhà các loại"},
	trade{"Vận tải", "Vận tải hàng hóa bằng đường bộ"},
	trade{"Công nghệ", "Lập trình máy vi tính"},
	trade{"Sản xuất và Thương mại", "Sản xuất đồ gỗ xây dựng"},
	trade{"Thực phẩm", "Chế biến và bảo quản rau quả"},
	trade{"Du lịch", "Điều hành tua du lịch"},
	trade{"Tư vấn", "Hoạt động tư vấn quản lý"},
	trade{"Nội thất", "Bán lẻ đồ nội thất"},
	trade{"Dược phẩm", "Bán buôn dược phẩm và dụng cụ y tế"},
	trade{"Nông sản", "Bán buôn nông, lâm sản nguyên liệu"},
	trade{"Xây dựng và Thương mại", "Xây dựng công trình kỹ thuật dân dụng khác"},
	trade{"Đầu tư Phát triển", "Kinh doanh bất động sản"},
	trade{"Cơ khí", "Gia công cơ khí"},
	trade{"Giáo dục", "Giáo dục khác"},
)

// Brand words of businesses ("Minh Phát", "An Phú").
var brands = uniform(
	"Minh Anh", "Hoàng Long", "An Phú", "Thành Đạt", "Phúc Lộc", "Hưng Thịnh", "Tân Phát",
	"Minh Phát", "Thuận Phát", "Đại Phát", "Hòa Bình", "Việt Tiến", "Sao Việt", "Nam Phong",
	"Bảo Ngọc", "Kim Long", "Phú Thành", "Trường An", "Hải Đăng", "Thiên Phú", "Gia Huy",
	"Vạn Phúc", "Thịnh Vượng", "Đông Á", "Tân Tiến", "Hồng Hà", "Quang Minh", "Hoàng Gia",
	"Phương Nam", "Bình Minh", "Trí Việt", "Hợp Nhất", "Toàn Thắng", "Nhật Minh", "Lộc Phát",
	"Tiến Đạt", "Ánh Dương", "Thanh Bình", "Mạnh Cường", "Đức Thịnh",
)

// Mobile prefixes after the leading 0 (Viettel 03x, 086, 09x; VinaPhone
// 08x; MobiFone 07x; Vietnamobile 05x), roughly by subscribers.
var phonePrefixes = table(
	row[string]{"32", 3}, row[string]{"33", 3}, row[string]{"34", 3}, row[string]{"35", 3},
	row[string]{"36", 3}, row[string]{"37", 3}, row[string]{"38", 3}, row[string]{"39", 3},
	row[string]{"86", 3}, row[string]{"96", 4}, row[string]{"97", 4}, row[string]{"98", 4},
	row[string]{"81", 2}, row[string]{"82", 2}, row[string]{"83", 2}, row[string]{"84", 2},
	row[string]{"85", 2}, row[string]{"88", 2}, row[string]{"91", 3}, row[string]{"94", 3},
	row[string]{"70", 2}, row[string]{"76", 2}, row[string]{"77", 2}, row[string]{"78", 1},
	row[string]{"79", 2}, row[string]{"89", 2}, row[string]{"90", 3}, row[string]{"93", 3},
	row[string]{"56", 1}, row[string]{"58", 1}, row[string]{"59", 1},
)

// Series letters of land-use certificates by the year of issue (the
// series printed on the forms changed over time; provisional).
func certSeries(year int) []string {
	switch {
	case year < 2010:
		return []string{"AA", "AB", "AC", "AD", "AE", "AG", "AH", "AK", "AL", "AM", "AN", "AO", "AP"}
	case year < 2015:
		return []string{"BA", "BB", "BC", "BD", "BE", "BG", "BH", "BK", "BL", "BM", "BN", "BO", "BP"}
	case year < 2021:
		return []string{"CA", "CB", "CC", "CD", "CE", "CG", "CH", "CK", "CL", "CM", "CN", "CO", "CP", "CS", "CT", "CV"}
	}
	return []string{"DA", "DB", "DC", "DD", "DE", "DG", "DH", "DK", "DL", "DM", "DN", "DO", "DP"}
}
