import Foundation

/// The Japanese statement patterns, most specific first; a sentence takes the first rule that matches.
enum JapaneseRules {
    static func normalize(_ sentence: String) -> String {
        var s = sentence.trimmingCharacters(in: .whitespaces)
        s = s.replacing(#/^(?:実は|ちなみに|あと|それと|ところで|一応|念のため|覚えておいてほしいんだけど)[、,]?\s*/#, with: "")
        s = s.replacing(#/[ねよ〜ー♪]+$/#, with: "")
        return s
    }

    /// Whether the sentence is about someone else ("友達はベジタリアンです").
    static func isAboutSomeoneElse(_ s: String) -> Bool {
        s.firstMatch(of: #/(彼|彼女|友達|友人|母|父|兄|姉|弟|妹|妻|夫|息子|娘|同僚|上司|先生|彼氏|あの人|みんな|皆|子供|家族)(?:は|が|も|の)/#) != nil
            && s.firstMatch(of: #/^(?:私|僕|俺|わたし)には/#) == nil
    }

    static let languages = ["英語": "English", "日本語": "Japanese", "フランス語": "French", "中国語": "Chinese",
                            "韓国語": "Korean", "スペイン語": "Spanish", "ドイツ語": "German", "イタリア語": "Italian"]

    static func diet(_ word: String) -> String { ["ヴィーガン", "ビーガン"].contains(word) ? "vegan" : "vegetarian" }

    static let rules: [ExtractionRule] = [
        ExtractionRule(#/(?:私のことを|僕のことを|私を|僕を|俺を)?([^をがはにで、\s]{1,20}?)(?:と|って)呼んで(?:ください|下さい|くれ|ほしい(?:です)?|欲しい(?:です)?)?/#) { g, _ in
            .preference(key: "name", value: g[1])
        },
        ExtractionRule(#/(?:私|僕|俺|わたし)の名前は([^、\s]{1,20}?)(?:です|だ)?/#) { g, _ in .preference(key: "name", value: g[1]) },
        ExtractionRule(#/(?:いつも|常に)?(?:短く|簡潔に|手短に|短めに)(?:答えて|回答して|返事して|返答して|まとめて|書いて|して|お願いし(?:ます)?)(?:ください|下さい|ほしい(?:です)?|欲しい(?:です)?)?/#) { _, _ in
            .preference(key: "answer.length", value: "short")
        },
        ExtractionRule(#/(?:回答|返事|答え|返答)は(?:短め|短く|簡潔)(?:で|に)(?:お願いします|してください|ください|お願い)?|短い(?:回答|返事|答え)が(?:好き|いい)です/#) { _, _ in
            .preference(key: "answer.length", value: "short")
        },
        ExtractionRule(#/(?:いつも|常に)(?:詳しく|丁寧に)(?:答えて|説明して|回答して)(?:ください|下さい|ほしい(?:です)?)?|詳しい(?:回答|説明|答え)が(?:好き|いい)です/#) { _, _ in
            .preference(key: "answer.length", value: "detailed")
        },
        ExtractionRule(#/絵文字(?:は|を)?(?:使わないで|使用しないで|入れないで|付けないで|つけないで)(?:ください|下さい|ほしい(?:です)?)?|絵文字(?:は|が)(?:嫌い|苦手|不要|いらない)(?:です)?/#) { _, _ in
            .preference(key: "emoji", value: "never")
        },
        ExtractionRule(#/(?:いつも|常に)?(英語|日本語|フランス語|中国語|韓国語|スペイン語|ドイツ語|イタリア語)で(?:答えて|回答して|返事して|返信して|話して)(?:ください|下さい|ほしい(?:です)?)?/#) { g, _ in
            .preference(key: "language", value: languages[g[1]] ?? g[1])
        },
        ExtractionRule(#/(?:(?:私|僕|俺|わたし|自分)は)?(?:今は?)?(ベジタリアン|ヴィーガン|ビーガン|菜食主義者)(?:です|だ|なんです|になりました)/#) { g, _ in
            .preference(key: "diet", value: diet(g[1]))
        },
        ExtractionRule(#/(?:(?:私|僕|俺|わたし)は)?(?:もう|今は)(ベジタリアン|ヴィーガン|ビーガン|菜食主義者)(?:では|じゃ)(?:ありません|ないです|ない)/#) { g, _ in
            .retraction(key: "diet", values: [diet(g[1])])
        },
        ExtractionRule(#/(?:(?:私|僕)は)?(?:今は|最近は|もう|また)?、?(?:今は|最近は)?(肉|魚|お肉|お魚|鶏肉|豚肉|牛肉)(?:を|も)(?:食べます|食べる|食べています|食べてます|食べるようになりました)/#) { g, _ in
            let fish = ["魚", "お魚"].contains(g[1])
            return .retraction(key: "diet", values: fish ? ["vegetarian", "vegan"] : ["vegetarian", "vegan", "pescatarian"])
        },
        ExtractionRule(#/(?:(?:私|僕)は)?(.+?)(?:の)?アレルギー(?:があります|です|を持っています|持ちです)/#) { g, s in
            .memory(key: "allergy:" + g[1], text: s)
        },
        ExtractionRule(#/(?:(?:私|僕)は)?(.+?)(?:は|を)(?:食べられません|食べません|飲めません|飲みません)/#) { g, s in
            .memory(key: "avoid:" + g[1], text: s)
        },
        ExtractionRule(#/(?:(?:私|僕|俺)は)?(?:今は?)?(.+?)に(?:住んでいます|住んでます|住んでる|引っ越しました)/#) { _, s in .memory(key: "home", text: s) },
        ExtractionRule(#/(?:(?:私|僕|俺)は)?(.+?)(?:の)?出身です/#) { _, s in .memory(key: "origin", text: s) },
        ExtractionRule(#/(?:(?:私|僕|俺)は)?(.+?)(?:として|で)働いています|(?:私|僕)の仕事は(.+?)です/#) { _, s in .memory(key: "job", text: s) },
        ExtractionRule(#/(?:(?:私|僕|俺)は)?(\d{1,3})歳です/#) { _, s in .memory(key: "age", text: s) },
        ExtractionRule(#/(?:(?:私|僕)の)?誕生日は(.+?)です/#) { _, s in .memory(key: "birthday", text: s) },
        ExtractionRule(#/(?:(?:私|僕|俺)は)?(?:今)?(.+?)を(?:勉強して|習って|学んで)います/#) { g, s in
            .memory(key: "learning:" + g[1], text: s)
        },
        ExtractionRule(#/(?:(?:私|僕|俺)は)?(.+?)が(?:大好き|好き|嫌い|苦手)(?:です|なんです)/#) { _, s in .memory(key: nil, text: s) },
        ExtractionRule(#/(?:(?:私|僕|俺)は)?(.+?)を(?:.{0,3})飼っています|(?:私|僕|俺)には(.+?)がいます/#) { _, s in .memory(key: nil, text: s) },
        ExtractionRule(#/(?:私|僕|俺|わたし)は(.+?)(?:です|だ|なんです)/#) { _, s in .memory(key: nil, text: s) },
    ]
}
