"""Place names that Vietnamese news sites write as a location stamp at the head of a sapo
("HÀ NỘI - ", "TP.HCM – ", "ĐÀ NẴNG — ", foreign datelines "WASHINGTON - "), for crawl.text.

Only a place is a stamp: an upper-case lead that is an acronym or a subject ("ASEAN - Nhật Bản ...",
"U23 VIỆT NAM - THÁI LAN: ...") is part of the sentence. Country names are left out on purpose: a
sapo opening "VIỆT NAM - TRUNG QUỐC: ..." names a match or a relation, not a dateline.
Sources: the 63 provinces and cities (before the 2025 merger; the 34 after it keep these names),
the cities and districts the sites stamp most, and the foreign capitals and cities their
correspondents file from, in Vietnamese and in English spelling.
"""

from __future__ import annotations

from crawl.normalize import tokens

PROVINCES = (
    "Hà Nội", "Hồ Chí Minh", "TP Hồ Chí Minh", "TP HCM", "TPHCM", "Sài Gòn", "Hải Phòng", "Đà Nẵng",
    "Cần Thơ", "Huế", "Thừa Thiên Huế", "Thừa Thiên", "An Giang", "Bà Rịa", "Vũng Tàu",
    "Bà Rịa Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định",
    "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Đắc Lắc", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương",
    "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng",
    "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ",
    "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng",
    "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Tiền Giang", "Trà Vinh",
    "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)
CITIES = (
    "Nha Trang", "Đà Lạt", "Hạ Long", "Vinh", "Quy Nhơn", "Buôn Ma Thuột", "Phú Quốc", "Côn Đảo",
    "Biên Hòa", "Thủ Đức", "Pleiku", "Mỹ Tho", "Rạch Giá", "Long Xuyên", "Phan Thiết", "Sa Pa", "Sapa",
    "Hội An", "Móng Cái", "Cam Ranh", "Tuy Hòa", "Đồng Hới", "Việt Trì", "Thủ Dầu Một", "Vị Thanh",
    "Cao Lãnh", "Châu Đốc", "Hà Tiên", "Trường Sa", "Hoàng Sa", "Lý Sơn", "Cô Tô",
)
FOREIGN = (
    "Washington", "Washington DC", "New York", "Los Angeles", "San Francisco", "Bắc Kinh", "Beijing",
    "Thượng Hải", "Shanghai", "Hồng Kông", "Hong Kong", "Đài Bắc", "Taipei", "Tokyo", "Osaka", "Seoul",
    "Bình Nhưỡng", "Pyongyang", "Moscow", "Mátxcơva", "Mát-xcơ-va", "Kiev", "Kyiv", "Paris", "London",
    "Luân Đôn", "Berlin", "Brussels", "Geneva", "Giơnevơ", "Rome", "Madrid", "Vienna", "Viên",
    "Bangkok", "Singapore", "Jakarta", "Kuala Lumpur", "Manila", "Vientiane", "Viêng Chăn",
    "Phnom Penh", "Phnôm Pênh", "Yangon", "Naypyidaw", "New Delhi", "Niu Đê-li", "Canberra", "Sydney",
    "Ottawa", "Tehran", "Jerusalem", "Tel Aviv", "Gaza", "Cairo", "Dubai", "Ankara", "Istanbul",
    "Havana", "La Habana", "Brasilia", "Buenos Aires",
)
# "TP." / "Thành phố" / "Tỉnh" before a name: "TP.HCM", "TP. Đà Nẵng", "TỈNH NGHỆ AN".
_KINDS = ("tp", "thànhphố", "tỉnh")


def place_key(text: str) -> str:
    """Comparison form of a place name: crawl.normalize tokens joined without spaces ("TP.HCM",
    "TP HCM" and "tp hcm" read alike; "Hòa"/"Hoà" too)."""
    return "".join(tokens(text))


_PLACES = frozenset(place_key(name) for name in PROVINCES + CITIES + FOREIGN)


def is_place(text: str) -> bool:
    """True when `text` ("HÀ NỘI", "TP.HCM", "TỈNH NGHỆ AN", "WASHINGTON") names a known place."""
    key = place_key(text)
    if key in _PLACES:
        return True
    return any(key.startswith(kind) and key[len(kind):] in _PLACES for kind in _KINDS)
