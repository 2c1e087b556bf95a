"""The crawl's length gates measure each language in a unit that fits it (issue 11 kind 13, issue 12;
D26): words (crawl.normalize.tokens) for Vietnamese and English, characters against word limits times
the language's characters per word for Chinese, Japanese, Thai, Lao, Khmer and Myanmar (crawl/lengths.py).

Before, every Thai/Lao letter and every Han character was one "word": a normal Thai or Lao sapo of
about 200 characters and a Chinese lead of 184 characters were `summary_too_long`, and a Thai body of
43 letters (about a dozen words) passed the 40-word minimum.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy.settings import Settings

from crawl.lengths import LengthUnit, length_unit
from crawl.pipelines.quality import QualityGatePipeline
from crawl.text import word_count

VI_SAPO = ("Sáng 21/9, TP Thủ Đức khởi công cầu nối phường Thảo Điền với quận Bình Thạnh, dài 1,2 km, "
           "vốn đầu tư hơn 3.000 tỷ đồng, dự kiến hoàn thành vào cuối năm 2026.")
VI_BODY = ("Đây là cây cầu thứ năm bắc qua sông Sài Gòn ở khu vực nội thành, theo Ban quản lý dự án đầu tư xây dựng "
           "các công trình giao thông. Cầu có sáu làn xe, hai đầu cầu kết nối với đường Nguyễn Văn Hưởng và đường "
           "Điện Biên Phủ. Khi hoàn thành, công trình giúp giảm ùn tắc cho cầu Sài Gòn và tạo thêm trục giao thông "
           "cho khu đô thị mới Thủ Thiêm.")
EN_SAPO = ("Ho Chi Minh City broke ground on Saturday on a 1.2 km bridge linking Thao Dien ward with Binh Thanh "
           "district, a project worth more than 3 trillion dong that is due to open at the end of 2026.")
EN_BODY = ("It will be the fifth bridge across the Saigon River in the inner city, according to the management board "
           "of transport projects. The bridge will have six lanes and connect Nguyen Van Huong street with Dien Bien "
           "Phu street. Once finished, it is expected to ease congestion on the Saigon Bridge and open a new route to "
           "the Thu Thiem urban area.")
ZH_SAPO = ("国家统计局10月18日发布数据显示，今年前三季度国内生产总值同比增长百分之四点八，其中第三季度增长百分之四点六，"
           "比第二季度略有回落。国家统计局新闻发言人表示，前三季度国民经济运行总体平稳、稳中有进，生产需求平稳增长，"
           "就业物价总体稳定，居民收入继续增加，高质量发展扎实推进，但外部环境变化带来的不利影响增多，国内有效需求仍然不足，"
           "经济持续回升向好的基础还需要进一步巩固。")
ZH_BODY = ("从生产端看，前三季度全国规模以上工业增加值同比增长百分之五点八，装备制造业和高技术制造业增加值增速明显快于全部工业。"
           "服务业生产指数同比增长百分之五点一，信息传输、软件和信息技术服务业保持较快增长。从需求端看，社会消费品零售总额同比增长"
           "百分之三点三，全国固定资产投资同比增长百分之三点四。发言人说，下一阶段要加大宏观政策逆周期调节力度，扩大国内需求，"
           "推动经济持续回升向好。")
TH_SAPO = ("กรุงเทพมหานครเตรียมเปิดใช้ระบบรถไฟฟ้าสายสีชมพูส่วนต่อขยายอย่างเป็นทางการในเดือนหน้า "
           "หลังจากทดสอบการเดินรถมานานกว่าสามเดือน โดยคาดว่าจะช่วยลดปัญหาการจราจรติดขัดบนถนนแจ้งวัฒนะ"
           "และรองรับผู้โดยสารได้มากกว่าหนึ่งแสนคนต่อวัน")
TH_BODY = ("ผู้ว่าราชการกรุงเทพมหานครเปิดเผยว่า การทดสอบระบบที่ผ่านมาเป็นไปด้วยความเรียบร้อย ไม่พบปัญหาด้านความปลอดภัยแต่อย่างใด "
           "ทั้งนี้ ผู้โดยสารสามารถใช้บัตรโดยสารร่วมกับรถไฟฟ้าสายอื่นได้ทันที และในช่วงเดือนแรกจะมีการลดราคาค่าโดยสารลงครึ่งหนึ่ง"
           "เพื่อจูงใจให้ประชาชนหันมาใช้บริการขนส่งสาธารณะมากขึ้น นอกจากนี้ กรุงเทพมหานครยังมีแผนจะเพิ่มจำนวนรถโดยสารประจำทาง"
           "ที่เชื่อมต่อกับสถานีรถไฟฟ้าในพื้นที่รอบนอกอีกด้วย")
# The reviewer's two-sentence lead (168 characters, about 30 words).
TH_LEAD = ("นายกรัฐมนตรีสั่งการให้ทุกกระทรวงเร่งรัดการเบิกจ่ายงบประมาณลงทุนภาครัฐให้ได้ตามเป้าหมายภายในสิ้นปีนี้ "
           "เพื่อกระตุ้นเศรษฐกิจของประเทศ และสร้างงานให้กับประชาชนในต่างจังหวัด")
LO_SAPO = ("ກະຊວງສຶກສາທິການ ແລະ ກິລາ ໄດ້ປະກາດແຜນການປັບປຸງຫຼັກສູດການຮຽນການສອນໃນລະດັບມັດທະຍົມທົ່ວປະເທດ "
           "ເຊິ່ງຈະເລີ່ມນຳໃຊ້ໃນສົກຮຽນໃໝ່ ໂດຍມີເປົ້າໝາຍເພື່ອຍົກລະດັບຄຸນນະພາບການສຶກສາ ແລະ ສ້າງຄວາມພ້ອມໃຫ້ແກ່ນັກຮຽນໃນການເຂົ້າສູ່ຕະຫຼາດແຮງງານ")
LO_BODY = ("ທ່ານລັດຖະມົນຕີກະຊວງສຶກສາທິການ ແລະ ກິລາ ກ່າວວ່າ ຫຼັກສູດໃໝ່ນີ້ຈະເນັ້ນໃສ່ວິຊາວິທະຍາສາດ ຄະນິດສາດ ແລະ ພາສາຕ່າງປະເທດຫຼາຍຂຶ້ນ "
           "ພ້ອມທັງເພີ່ມຊົ່ວໂມງການຝຶກງານຕົວຈິງໃນໂຮງງານ ແລະ ວິສາຫະກິດຕ່າງໆ ນອກຈາກນັ້ນ ກະຊວງຍັງຈະຈັດຊຸດຝຶກອົບຮົມໃຫ້ແກ່ຄູສອນ"
           "ຫຼາຍກວ່າຫ້າພັນຄົນໃນທົ່ວປະເທດ ເພື່ອໃຫ້ສາມາດນຳໃຊ້ຫຼັກສູດໃໝ່ໄດ້ຢ່າງມີປະສິດທິຜົນ ແລະ ທັນເວລາກ່ອນເປີດສົກຮຽນ")
KM_LEAD = ("រាជរដ្ឋាភិបាលកម្ពុជាបានសម្រេចបង្កើនថវិកាសម្រាប់វិស័យអប់រំនៅឆ្នាំក្រោយ ដើម្បីកសាងសាលារៀនថ្មីនៅតាមបណ្តាខេត្តនានា "
           "និងបណ្តុះបណ្តាលគ្រូបង្រៀនបន្ថែម")
MY_LEAD = ("မြန်မာနိုင်ငံ ရန်ကုန်မြို့တွင် ယနေ့ မိုးသည်းထန်စွာ ရွာသွန်းခဲ့သဖြင့် လမ်းမကြီးများ ရေလွှမ်းမိုးခဲ့ပြီး "
           "ယာဉ်ကြောပိတ်ဆို့မှုများ ဖြစ်ပွားခဲ့သည်")
TITLE = {"vi": "Khởi công cầu nối Thủ Đức với Bình Thạnh", "en": "Work starts on new Saigon River bridge",
         "zh": "前三季度国内生产总值同比增长百分之四点八", "th": "รถไฟฟ้าสายสีชมพูส่วนต่อขยายเปิดเดือนหน้า",
         "lo": "ປັບປຸງຫຼັກສູດມັດທະຍົມທົ່ວປະເທດ", "km": "បង្កើនថវិកាអប់រំ", "my": "ရန်ကုန်မြို့ ရေလွှမ်းမိုး"}
SETTINGS = {"CLSFORGE_SUMMARY_MIN_WORDS": 10, "CLSFORGE_SUMMARY_MAX_WORDS": 150, "CLSFORGE_BODY_MIN_WORDS": 40}


def gate(lang: str, summary: str, text: str, **settings) -> str | None:
    gates = QualityGatePipeline(SimpleNamespace(settings=Settings({**SETTINGS, **settings})))
    return gates.failed_gate({"lang": lang, "title": TITLE[lang], "summary": summary, "text": text})


@pytest.mark.parametrize(
    ("lang", "text", "unit", "count", "tokens"),
    [
        ("vi", VI_SAPO, "words", 37, 37),
        ("vi", VI_BODY, "words", 77, 77),
        ("en", EN_SAPO, "words", 40, 40),
        ("en", EN_BODY, "words", 62, 62),
        ("zh", ZH_SAPO, "chars", 170, 168),  # 184 characters with punctuation; "10", "18" are one token each
        ("zh", ZH_BODY, "chars", 172, 172),
        ("zh", "新冠疫情，2024年", "chars", 9, 6),
        ("th", TH_SAPO, "chars", 182, 182),  # 217 code points: vowel and tone marks are not counted
        ("th", TH_BODY, "chars", 315, 315),
        ("th", TH_LEAD, "chars", 135, 135),
        ("th", "น้ำท่วม", "chars", 5, 5),  # น ้ ำ ท ่ ว ม: two tone marks left out
        ("lo", LO_SAPO, "chars", 167, 169),  # NFKC (tokens) splits ໝ / ໜ into two letters; the gates do not
        ("lo", LO_BODY, "chars", 242, 244),
        ("lo", "ໝາກໄມ້", "chars", 5, 6),
        ("ja", "東京都は１０日、新しい計画を発表した。", "chars", 17, 13),  # kana runs are one token each
        ("zh-TW", "國家統計局發布數據", "chars", 9, 9),
        ("km", KM_LEAD, "chars", 83, 83),  # 142 code points: coeng and vowel signs are marks
        ("my", MY_LEAD, "chars", 53, 53),  # 141 code points: medials, vowel signs, asat and visarga are marks
    ],
)
def test_gate_units_count_exactly(lang: str, text: str, unit: str, count: int, tokens: int) -> None:
    assert (length_unit(lang).name, length_unit(lang).count(text), word_count(text)) == (unit, count, tokens)


@pytest.mark.parametrize(
    ("lang", "limits"),
    [("vi", (10, 150, 40)), ("en", (10, 150, 40)), ("ko", (10, 150, 40)), ("zh", (17, 249, 66)),
     ("ja", (17, 249, 66)), ("yue", (17, 249, 66)), ("th", (32, 483, 129)), ("lo", (32, 483, 129)),
     ("km", (32, 483, 129)), ("my", (32, 483, 129))],
)
def test_word_limits_become_character_limits_where_words_are_not_spaced(lang: str, limits: tuple) -> None:
    unit = length_unit(lang)
    assert tuple(unit.limit(words) for words in (10, 150, 40)) == limits


@pytest.mark.parametrize(
    ("lang", "summary", "text", "reason"),
    [
        ("vi", VI_SAPO, VI_BODY, None),
        ("en", EN_SAPO, EN_BODY, None),
        # D26: each of these was summary_too_long (168, 182, 169 tokens > 150)
        ("zh", ZH_SAPO, ZH_BODY, None),
        ("th", TH_SAPO, TH_BODY, None),
        ("lo", LO_SAPO, LO_BODY, None),
        ("th", TH_LEAD, TH_BODY, None),
        # too long: a sapo with the whole body pasted into it
        ("zh", ZH_SAPO + ZH_BODY, ZH_BODY, "summary_too_long"),  # 342 > 249
        ("th", TH_SAPO + TH_BODY, TH_BODY, "summary_too_long"),  # 497 > 483
        ("lo", LO_SAPO + LO_BODY + LO_SAPO, LO_BODY, "summary_too_long"),  # 576 > 483
        # too short: a headline-sized sapo
        ("zh", "统计局：前三季度经济增长百分之四点八", ZH_BODY, None),  # 17 = the minimum
        ("zh", "统计局：前三季度经济增长四点八", ZH_BODY, "summary_too_short"),  # 15 < 17
        ("th", "ฝนตกหนักทั่วกรุงเทพฯ", TH_BODY, "summary_too_short"),  # 16 < 32
        # D26: a body of a dozen words passed the 40-"word" minimum (43, 49, 49 tokens)
        ("th", TH_SAPO, "ฝนตกหนักทำให้น้ำท่วมหลายพื้นที่ในกรุงเทพมหานครเมื่อคืนนี้", "body_too_short"),  # 43 < 129
        ("zh", ZH_SAPO, "国家统计局今天发布前三季度经济数据，国内生产总值同比增长百分之四点八，就业物价总体稳定，居民收入继续增加。",
         "body_too_short"),  # 49 < 66
        ("lo", LO_SAPO, "ລາຄາເຂົ້າໃນຕະຫຼາດໂລກເພີ່ມຂຶ້ນຢ່າງຕໍ່ເນື່ອງ ເຮັດໃຫ້ຊາວນາມີລາຍໄດ້ດີຂຶ້ນ", "body_too_short"),  # 49 < 129
        # a one-sentence Khmer / Myanmar lead (about 25 / 16 words) is a sapo, not a body
        ("km", KM_LEAD, KM_LEAD, "body_too_short"),  # 83 < 129
        ("my", MY_LEAD, MY_LEAD, "body_too_short"),  # 53 < 129
        # Vietnamese and English keep their word limits exactly
        ("vi", " ".join([VI_SAPO] * 4), VI_BODY, None),  # 148 syllables
        ("vi", " ".join([VI_SAPO] * 4) + " Hôm nay ba", VI_BODY, "summary_too_long"),  # 151 syllables
        ("en", " ".join(EN_SAPO.split()[:9]), EN_BODY, "summary_too_short"),  # 9 words
        ("en", EN_SAPO, " ".join(EN_BODY.split()[:39]), "body_too_short"),  # 39 words
    ],
)
def test_gates_keep_and_drop_by_the_language_unit(lang: str, summary: str, text: str, reason: str | None) -> None:
    assert gate(lang, summary, text) == reason


def test_gate_limits_follow_the_word_settings() -> None:
    """The settings stay in words: halving the maximum halves the character limit too."""
    assert gate("th", TH_SAPO, TH_BODY, CLSFORGE_SUMMARY_MAX_WORDS=56) == "summary_too_long"  # 182 > 180
    assert gate("th", TH_SAPO, TH_BODY, CLSFORGE_SUMMARY_MAX_WORDS=57) is None  # 182 <= 184
    assert gate("zh", ZH_SAPO, ZH_BODY, CLSFORGE_BODY_MIN_WORDS=104) == "body_too_short"  # 172 < 173


def test_characters_per_word_can_be_overridden_per_language() -> None:
    assert gate("lo", LO_SAPO, LO_BODY, CLSFORGE_GATE_CHARS_PER_WORD={"lo": 1.0}) == "summary_too_long"  # 167 > 150
    assert gate("lo", LO_SAPO, LO_BODY, CLSFORGE_GATE_CHARS_PER_WORD={"LO": 3.0}) is None
    assert gate("vi", VI_SAPO, VI_BODY, CLSFORGE_GATE_CHARS_PER_WORD={"vi": 9.0}) is None  # words stay words
    assert length_unit("zh-Hant", {"zh": 2.0}) == LengthUnit("chars", 2.0)
    for bad in (0, -1.0, float("nan"), float("inf"), "3", True):
        with pytest.raises(ValueError, match=rf"CLSFORGE_GATE_CHARS_PER_WORD\['th'\] must be a positive finite number, not {bad!r}"):
            gate("th", TH_SAPO, TH_BODY, CLSFORGE_GATE_CHARS_PER_WORD={"th": bad})


def test_table_1_units_agree_with_the_gate_units() -> None:
    from curate.languages import LANGUAGES

    assert {code: language.unit for code, language in LANGUAGES.items()} == {
        code: length_unit(code).name for code in LANGUAGES
    }

