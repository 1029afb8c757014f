"""The benchmark generator's fixed data: dates, entry types and their weights, the vocabulary of
names, memos and banks, and YAML scalars written as the tool writes them (generate.py uses it)."""

from __future__ import annotations

import datetime as dt
import json
import re

END_DATE = dt.date(2026, 11, 15)
SPAN_DAYS = 3 * 365  # dates spread over ~3 years ending END_DATE
START_DATE = END_DATE - dt.timedelta(days=SPAN_DAYS - 1)

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Bench Generator",
    "GIT_AUTHOR_EMAIL": "bench@ledgerctl.example",
    "GIT_COMMITTER_NAME": "Bench Generator",
    "GIT_COMMITTER_EMAIL": "bench@ledgerctl.example",
    "GIT_AUTHOR_DATE": "2026-11-15T18:00:00+08:00",
    "GIT_COMMITTER_DATE": "2026-11-15T18:00:00+08:00",
}

TYPES = ("invoice", "payment", "credit_note", "write_off", "refund", "void", "reminder", "note", "balance")
PREFIX = {
    "invoice": "INV",
    "payment": "PAY",
    "credit_note": "CN",
    "write_off": "WO",
    "refund": "RF",
    "void": "VD",
    "reminder": "RM",
    "note": "NT",
    "balance": "BAL",
}
# Share of each type among the entries after a customer's first (always an invoice).
WEIGHTS = {
    "invoice": 46,
    "payment": 30,
    "credit_note": 4,
    "write_off": 1,
    "refund": 1.5,
    "void": 2.5,
    "reminder": 6,
    "note": 6,
    "balance": 3,
}
SUFFIX_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U: easy to read aloud

# --- vocabulary ------------------------------------------------------------------------

CITIES = [
    ("北京", "bj", "北京市朝阳区建国路"),
    ("上海", "sh", "上海市浦东新区张江路"),
    ("广州", "gz", "广州市天河区体育西路"),
    ("深圳", "sz", "深圳市南山区科技园南路"),
    ("杭州", "hz", "杭州市余杭区文一西路"),
    ("成都", "cd", "成都市高新区天府大道"),
    ("武汉", "wh", "武汉市东湖高新区光谷大道"),
    ("南京", "nj", "南京市江宁区秣陵街道"),
    ("苏州", "su", "苏州市工业园区星湖街"),
    ("天津", "tj", "天津市滨海新区黄海路"),
    ("重庆", "cq", "重庆市渝北区金开大道"),
    ("西安", "xa", "西安市雁塔区科技路"),
    ("青岛", "qd", "青岛市黄岛区长江中路"),
    ("厦门", "xm", "厦门市湖里区嘉禾路"),
    ("宁波", "nb", "宁波市鄞州区天童南路"),
]
BRANDS = [
    ("华兴", "huaxing"),
    ("明达", "mingda"),
    ("腾飞", "tengfei"),
    ("鑫源", "xinyuan"),
    ("天府", "tianfu"),
    ("粤海", "yuehai"),
    ("华夏", "huaxia"),
    ("东方", "dongfang"),
    ("恒通", "hengtong"),
    ("永盛", "yongsheng"),
    ("金桥", "jinqiao"),
    ("宏达", "hongda"),
    ("瑞丰", "ruifeng"),
    ("长江", "changjiang"),
    ("泰和", "taihe"),
    ("新世纪", "xinshiji"),
    ("嘉禾", "jiahe"),
    ("正泰", "zhengtai"),
    ("远航", "yuanhang"),
    ("百川", "baichuan"),
]
INDUSTRIES = [
    ("机械", "manufacturing"),
    ("建材", "construction"),
    ("食品", "food"),
    ("电子", "electronics"),
    ("化工", "chemicals"),
    ("物流", "logistics"),
    ("纺织", "textiles"),
    ("医药", "pharma"),
    ("农业科技", "agriculture"),
    ("五金", "hardware"),
    ("包装", "packaging"),
    ("汽车配件", "automotive"),
]
CN_SUFFIXES = ["有限公司", "有限公司", "股份有限公司", "贸易有限公司", "实业有限公司"]
CN_PERSONS = ["王经理", "李会计", "张总", "刘会计", "陈小姐", "杨主任", "黄小姐", "赵经理", "周出纳", "吴财务"]
CN_BANKS = ["建设银行", "工商银行", "农业银行", "中国银行", "招商银行", "交通银行", "浦发银行"]

LATIN_NAMES = [
    ("Northwind", "northwind"),
    ("Müller", "mueller"),
    ("Globex", "globex"),
    ("Initech", "initech"),
    ("Contoso", "contoso"),
    ("Fabrikam", "fabrikam"),
    ("Tailspin", "tailspin"),
    ("Litware", "litware"),
    ("Adatum", "adatum"),
    ("Proseware", "proseware"),
    ("Blue Yonder", "blueyonder"),
    ("Wide World", "wideworld"),
    ("Lucerne", "lucerne"),
    ("Alpine Ski", "alpineski"),
    ("Coho Vineyard", "coho"),
    ("Woodgrove", "woodgrove"),
]
LATIN_KINDS = ["Trading", "Industries", "Logistics", "Foods", "Systems", "Components", "Imports", "Supply"]
LATIN_SUFFIXES = ["GmbH", "Ltd.", "Inc.", "S.A.", "LLC", "AG", "B.V.", "Pte. Ltd."]
LATIN_PERSONS = ["Anna Schmidt", "John Miller", "Maria Garcia", "Peter Jones", "Sophie Martin", "Lucas Weber"]
LATIN_BANKS = ["HSBC", "Citibank", "Deutsche Bank", "SWIFT", "BNP Paribas", "Standard Chartered"]

JP_NAMES = [
    ("株式会社山田製作所", "yamada"),
    ("佐藤工業株式会社", "sato-kogyo"),
    ("株式会社東洋精機", "toyo-seiki"),
    ("Sakura Kogyo K.K.", "sakura"),
    ("Nippon Precision K.K.", "nippon-precision"),
    ("株式会社大和商事", "yamato"),
]
JP_PERSONS = ["佐藤 健一", "鈴木 花子", "高橋 誠", "田中 美咲"]
JP_BANKS = ["MUFG", "SMBC", "みずほ銀行"]
JP_ADDRESSES = ["愛知県名古屋市港区潮見町 37-21", "大阪府大阪市北区梅田 2-4-9", "東京都大田区平和島 1-1-1"]

TAGS = [
    "vip",
    "wholesale",
    "retail",
    "export",
    "prospect",
    "high-risk",
    "key-account",
    "region:north",
    "region:south",
    "region:east",
    "region:west",
    "online",
    "distributor",
]

ITEMS_CN = [
    "机床配件",
    "水泥及外加剂",
    "防水卷材",
    "保温板",
    "石膏板",
    "瓷砖胶及填缝剂",
    "滴灌设备",
    "过滤器及管件",
    "调味品",
    "腊味礼盒",
    "凉茶饮料",
    "干货海产",
    "电子元器件",
    "电路板组件",
    "包装材料",
    "五金工具",
    "化工原料",
    "纺织面料",
    "汽车配件",
    "月饼预订（首批）",
    "设备维修服务",
    "技术咨询服务",
    "运输及保险",
]
ITEMS_EN = [
    "Spare parts",
    "Machine components",
    "Consulting services",
    "Freight and insurance",
    "Packaging material",
    "Electronic components",
    "Maintenance contract",
    "Sample order",
    "Tooling",
    "Software licences",
]
ITEMS_JP = ["精密ダイカスト部品", "アルミ押出材", "金型修理及び部品", "治具一式", "量産部品", "試作部品"]
CN_NOTES = [
    "客户承诺月底付款",
    "拜访客户，介绍新产品方案",
    "客户财务负责人更换",
    "客户项目回款延迟，承诺下月先付一半",
    "电话催款，客户称已安排付款",
    "客户对部分货款有异议，待核实",
    "客户计划追加订单，考虑提高信用额度",
    "已寄送对账单，客户确认无误",
]
EN_NOTES = [
    "Called AP, payment promised next week",
    "Statement sent, customer confirmed balance",
    "Customer disputes freight charges",
    "New purchasing contact introduced",
    "Visited customer, discussed new order",
]
VOID_MEMOS = [
    "银行流水重复导入，作废重复收款",
    "单价录入错误，作废重开",
    "entered twice",
    "wrong customer, re-entered",
    "金额录入错误，作废重录",
]
CN_CREDIT_MEMOS = ["退货", "质量争议折让", "运费补贴", "数量差异调整", "返利"]
EN_CREDIT_MEMOS = ["Returned goods", "Price adjustment", "Volume rebate", "Damaged in transit"]
WO_MEMOS = ["坏账核销，经总经理审批", "小额尾差核销", "Bad debt written off, approved by CFO", "客户破产重整，核销"]
REFUND_MEMOS = ["退回多付货款", "退回预付款", "Refund of overpayment"]

# --- YAML text, in the tool's own style ---------------------------------------------------

_SAFE_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9+.][^,\[\]{}#\n\r\t]*$")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def scalar(text: str) -> str:
    """Plain when any YAML reader reads it back as this text, else a JSON (= YAML) double-quoted string."""
    plain = (
        _SAFE_PLAIN.match(text)
        and ": " not in text
        and " #" not in text
        and not text.endswith((":", " "))
        and text.lower() not in _RESERVED
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def q(words: list[str]) -> list[str]:
    return [scalar(w) for w in words]


# Pre-quoted vocabulary: the hot loop only picks strings.
Q_ITEMS = {"CNY": q(ITEMS_CN), "USD": q(ITEMS_EN), "JPY": q(ITEMS_JP)}
Q_NOTES = {"CNY": q(CN_NOTES), "USD": q(EN_NOTES), "JPY": q(CN_NOTES[:3] + EN_NOTES[:2])}
Q_CREDIT = {"CNY": q(CN_CREDIT_MEMOS), "USD": q(EN_CREDIT_MEMOS), "JPY": q(EN_CREDIT_MEMOS)}
Q_VOID = q(VOID_MEMOS)
Q_WO = q(WO_MEMOS)
Q_REFUND = q(REFUND_MEMOS)
BANKS = {"CNY": CN_BANKS, "USD": LATIN_BANKS, "JPY": JP_BANKS}


def money(minor: int, digits: int) -> str:
    """Minor units as the plain decimal text the tool writes (no sign for positives)."""
    if digits == 0:
        return str(minor)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 100)
    return f"{sign}{whole}.{frac:02d}"
