import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralOCR

/// One engine for the tests that only read (loading ind+eng takes a moment); tests that count
/// recognitions or change settings make their own.
let sharedEngine: OCREngine = {
    do { return try OCREngine() } catch { fatalError("\(error)") }
}()

func ocrFixture(_ path: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Fixtures/ocr/" + path))
}

/// The words of a reading, upper-cased, for asserting words rather than exact strings.
func words(_ text: String) -> Set<String> {
    Set(text.uppercased().split { !$0.isLetter && !$0.isNumber }.map(String.init))
}

@Suite struct OCREngineReadingTests {
    @Test func readsTheKeyWordsOfARenderedPoster() async throws {
        let bytes = try ocrFixture("rendered/poster-01.jpg")
        let text = try await sharedEngine.read(bytes, imageURL: "https://cdn.example/poster-01.jpg")
        #expect(text.imageURL == "https://cdn.example/poster-01.jpg")
        #expect(text.imageHash == OCREngine.digest(bytes))
        #expect(text.imageHash.count == 64)
        #expect(text.engine.hasPrefix("tesseract 5.") && text.engine.hasSuffix(" (ind+eng)"))
        #expect(words(text.text).isSuperset(of: ["COBLOS", "NOMOR", "2", "PILKADA", "SUKAMAJU", "BUDI", "SANTOSO", "PILKADADAMAI"]))
        #expect(text.text.split(separator: "\n").count >= 5)
        #expect((text.confidence ?? 0) > 80)
    }

    @Test func readsWhiteCaptionsOverAPhoto() async throws {
        let text = try await sharedEngine.read(try ocrFixture("rendered/caption-01.jpg"), imageURL: "caption-01.jpg")
        #expect(words(text.text).isSuperset(of: ["SAYA", "ASN", "KECAMATAN", "SUKAMAJU", "DUKUNG", "NOMOR"]))
    }

    @Test func readsTheFirstFrameOfAnAnimatedGIF() async throws {
        let text = try await sharedEngine.read(try ocrFixture("formats/poster-animated.gif"), imageURL: "poster-animated.gif")
        #expect(words(text.text).isSuperset(of: ["COBLOS", "NOMOR", "2", "ASN", "SUKAMAJU"]))
        #expect(!words(text.text).contains("KEDUA"))
    }

    @Test func readsWebP() async throws {
        let text = try await sharedEngine.read(try ocrFixture("formats/poster.webp"), imageURL: "poster.webp")
        #expect(words(text.text).isSuperset(of: ["DUKUNG", "NOMOR", "1", "KECAMATAN", "SUKAMAJU"]))
    }

    @Test func readsBlackTextOnATransparentBackground() async throws {
        let text = try await sharedEngine.read(try ocrFixture("formats/twibbon-transparent.png"), imageURL: "twibbon.png")
        #expect(words(text.text).isSuperset(of: ["SIAP", "MENANGKAN", "NOMOR", "3"]))
    }
}

@Suite struct OCREngineRefusalTests {
    func kind(of operation: () async throws -> ImageText) async -> OCRError.Kind? {
        do {
            _ = try await operation()
            return nil
        } catch let error as OCRError {
            return error.kind
        } catch {
            return nil
        }
    }

    @Test func refusesAnImageBombByItsHeaderWithoutDecoding() async throws {
        let engine = try OCREngine()
        // 60,000 x 60,000 declared; the bytes after the header are not image data at all, so a
        // decoder would fail differently: the refusal is the header's.
        let bomb = Headers.png(width: 60_000, height: 60_000)
        let kind = await kind { try await engine.read(bomb, imageURL: "https://cdn.example/bom.png") }
        #expect(kind == .tooManyPixels(width: 60_000, height: 60_000, limit: 25_000_000))
        let jpegBomb = Headers.jpeg(width: 60_000, height: 50_000)
        #expect(
            await self.kind { try await engine.read(jpegBomb, imageURL: "bom.jpg") }
                == .tooManyPixels(width: 60_000, height: 50_000, limit: 25_000_000))
        #expect(engine.statistics.recognitions == 0)
        #expect(engine.statistics.failures == 2)
        do {
            _ = try await engine.read(bomb, imageURL: "https://cdn.example/bom.png")
            Issue.record("an image bomb was read")
        } catch let error as OCRError {
            #expect(error.imageURL == "https://cdn.example/bom.png")
            #expect(error.description.contains("https://cdn.example/bom.png"))
            #expect(error.description.contains("refused before decoding"))
            #expect(error.isPictureProblem)
        }
    }

    @Test func aTruncatedPictureIsAnError() async throws {
        let png = try ocrFixture("rendered/screenshot-light-01.png")
        let cut = png.prefix(png.count * 6 / 10)
        guard case .truncated(format: "PNG", _)? = await kind(of: { try await sharedEngine.read(cut, imageURL: "cut.png") }) else {
            Issue.record("a truncated PNG was not refused as truncated")
            return
        }

        let jpeg = try ocrFixture("rendered/poster-01.jpg")
        let halfJPEG = jpeg.prefix(jpeg.count / 2)
        #expect(
            await kind { try await sharedEngine.read(halfJPEG, imageURL: "cut.jpg") }
                == .truncated(format: "JPEG", reason: "it has no end-of-image marker (a download cut short)"))
        let gif = try ocrFixture("formats/poster-animated.gif")
        #expect(await kind { try await sharedEngine.read(gif.prefix(gif.count / 4), imageURL: "cut.gif") } != nil)
        let webp = try ocrFixture("formats/poster.webp")
        let halfWebP = webp.prefix(webp.count / 2)
        #expect(await kind { try await sharedEngine.read(halfWebP, imageURL: "cut.webp") } == .decodeFailed(format: "WebP"))
        // Whole, but its compressed data overwritten: the decoder's error, not a picture of noise.
        var damaged = webp
        damaged.replaceSubrange(40..<(webp.count - 40), with: Data(repeating: 0x55, count: webp.count - 80))
        #expect(await kind { try await sharedEngine.read(damaged, imageURL: "damaged.webp") } == .decodeFailed(format: "WebP"))
    }

    @Test func emptyStripAndNonPicturesAreErrors() async throws {
        #expect(await kind { try await sharedEngine.read(Data(), imageURL: "empty.jpg") } == .empty)
        #expect(await kind { try await sharedEngine.read(Data("<html><body>Login</body></html>".utf8), imageURL: "login.jpg") }
            == .notAnImage(found: "it starts like HTML or XML"))
        let strip = await kind { try await sharedEngine.read(Headers.png(width: 1, height: 50_000), imageURL: "strip.png") }
        guard case .badShape? = strip else {
            Issue.record("a 1 x 50000 strip gave \(String(describing: strip))")
            return
        }
    }

    @Test func stopsAtTheTimeCap() async throws {
        var configuration = OCRConfiguration()
        configuration.limits.secondsPerImage = 0.001
        let engine = try OCREngine(configuration: configuration)
        let kind = await kind { try await engine.read(try ocrFixture("rendered/screenshot-light-01.png"), imageURL: "slow.png") }
        #expect(kind == .timedOut(seconds: 0.001))
    }

    @Test func missingLanguageDataIsAClearError() throws {
        var configuration = OCRConfiguration()
        configuration.languages = ["ind", "jav"]
        let folder = try TemporaryFolder()
        configuration.dataPath = folder.path
        #expect(throws: OCRError(.languageDataMissing(language: "ind", searched: [folder.path], debianPackage: "tesseract-ocr-ind"))) {
            try OCREngine(configuration: configuration)
        }
        configuration.dataPath = nil
        configuration.languages = ["ind", "xyz_abc"]
        do {
            _ = try OCREngine(configuration: configuration)
            Issue.record("an engine started without xyz_abc.traineddata")
        } catch {
            #expect(error.kind == .languageDataMissing(
                language: "xyz_abc",
                searched: LanguageData.searchFolders(configured: nil, environment: ProcessInfo.processInfo.environment),
                debianPackage: "tesseract-ocr-xyz-abc"))
            #expect(error.description.contains("apt-get install tesseract-ocr-xyz-abc"))
            #expect(!error.isPictureProblem)
        }
        configuration.languages = ["../../etc/passwd"]
        #expect(throws: OCRError(.invalidLanguage("../../etc/passwd"))) { try OCREngine(configuration: configuration) }
    }
}

@Suite struct OCRCacheTests {
    @Test func aCacheHitReturnsTheSameReadingWithoutOCR() async throws {
        let engine = try OCREngine(cache: OCRCache())
        let bytes = try ocrFixture("rendered/poster-02.jpg")
        let first = try await engine.read(bytes, imageURL: "https://a.example/1.jpg")
        #expect(engine.statistics.recognitions == 1)
        // The same bytes under another URL (a repost): the reading is the cached one, the URL is the caller's.
        let second = try await engine.read(bytes, imageURL: "https://b.example/2.jpg")
        #expect(engine.statistics.recognitions == 1)
        #expect(engine.statistics.memoryHits == 1)
        #expect(second.imageURL == "https://b.example/2.jpg")
        #expect(second.text == first.text && second.confidence == first.confidence && second.imageHash == first.imageHash)
    }

    @Test func aCacheFolderServesTheNextRun() async throws {
        let folder = try TemporaryFolder()
        let bytes = try ocrFixture("formats/poster.webp")
        let first = try await OCREngine(cache: OCRCache(folder: folder.path)).read(bytes, imageURL: "x.webp")
        // A new process: new engine, new memory, same folder.
        let engine = try OCREngine(cache: OCRCache(folder: folder.path))
        let second = try await engine.read(bytes, imageURL: "x.webp")
        #expect(engine.statistics.recognitions == 0)
        #expect(engine.statistics.diskHits == 1)
        #expect(second == first)
        // Other settings never see that reading.
        var configuration = OCRConfiguration()
        configuration.preprocessing.junkWordConfidence = 99
        let other = try OCREngine(configuration: configuration, cache: OCRCache(folder: folder.path))
        _ = try await other.read(bytes, imageURL: "x.webp")
        #expect(other.statistics.recognitions == 1)
        // No temporary file is left beside the readings.
        let files = FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []
        #expect(files.filter { $0.hasSuffix(".json") }.count == 2)
        #expect(!files.contains { $0.hasSuffix(".tmp") })
    }

    @Test func theCacheFolderStaysUnderItsCap() throws {
        let folder = try TemporaryFolder()
        let cache = OCRCache(memoryEntries: 4, folder: folder.path, maxFolderBytes: 4096)
        let reading = OCRReading(
            text: String(repeating: "Coblos nomor 2 ", count: 20), confidence: 90, engine: "t", pass: "grey", width: 1, height: 1)
        let digests = (0..<40).map { OCREngine.digest(Data("gambar \($0)".utf8)) }
        for digest in digests { cache.store(reading, digest: digest, fingerprint: "f") }
        let files = (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".json") }
        let bytes = files.reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: folder.path + "/" + file)[.size] as? Int) ?? 0)
        }
        #expect(bytes <= 4096)
        #expect(!files.isEmpty)
        // The last one written is still there; the first is gone (from memory too: 4 entries).
        #expect(cache.reading(digest: digests[39], fingerprint: "f") != nil)
        #expect(cache.reading(digest: digests[0], fingerprint: "f") == nil)
        // A file the cache did not name is never touched.
        let stranger = try folder.write("catatan.txt", "milik orang lain")
        for digest in digests { cache.store(reading, digest: digest, fingerprint: "g") }
        #expect(FileManager.default.fileExists(atPath: stranger))
    }

    @Test func theMemoryCacheDropsTheLeastRecentlyUsed() {
        var lru = LRU(capacity: 2)
        let reading = OCRReading(text: "a", confidence: nil, engine: "t", pass: "grey", width: 1, height: 1)
        lru.put("a", reading)
        lru.put("b", reading)
        _ = lru.get("a")
        lru.put("c", reading)
        #expect(lru.get("a") != nil)
        #expect(lru.get("b") == nil)
        #expect(lru.get("c") != nil)
        #expect(lru.count == 2)
    }
}

@Suite struct OCRConcurrencyTests {
    @Test func concurrentReadsAreSafeAndBounded() async throws {
        var configuration = OCRConfiguration()
        configuration.maxConcurrentImages = 2
        let engine = try OCREngine(configuration: configuration)
        let names = ["formats/poster.webp", "formats/twibbon-transparent.png", "formats/poster-animated.gif"]
        let pictures = try names.map { try ocrFixture($0) }
        let results = try await withThrowingTaskGroup(of: (Int, ImageText).self) { group in
            for round in 0..<6 {
                let index = round % pictures.count
                group.addTask { (index, try await engine.read(pictures[index], imageURL: names[index])) }
            }
            return try await group.reduce(into: [Int: [ImageText]]()) { $0[$1.0, default: []].append($1.1) }
        }
        #expect(engine.statistics.recognitions == 6)
        #expect(engine.handleCount <= 2)
        for (index, readings) in results {
            #expect(readings.count == 2)
            #expect(Set(readings.map(\.text)).count == 1, "the same picture read twice at once gave different text")
            #expect(readings[0].imageURL == names[index])
        }
        let first = results.mapValues { words($0.first?.text ?? "") }
        #expect(first[0]?.contains("DUKUNG") == true)
        #expect(first[1]?.contains("MENANGKAN") == true)
        #expect(first[2]?.contains("COBLOS") == true)
    }

    @Test func aRunBudgetStopsReadingButNotCacheHits() async throws {
        let engine = try OCREngine(cache: OCRCache())
        let budget = OCRBudget(maxImages: 1, maxSeconds: 600)
        let poster = try ocrFixture("formats/poster.webp")
        _ = try await engine.read(poster, imageURL: "a.webp", budget: budget)
        do {
            _ = try await engine.read(try ocrFixture("formats/twibbon-transparent.png"), imageURL: "b.png", budget: budget)
            Issue.record("read past the budget")
        } catch let error as OCRError {
            #expect(error.kind == .budgetExhausted("1 pictures read"))
        }
        _ = try await engine.read(poster, imageURL: "a-again.webp", budget: budget)
        #expect(budget.imagesRead == 1)
        #expect(engine.statistics.recognitions == 1)
    }
}

@Suite struct OCRPolicyTests {
    @Test func readsOnlyItemsWorthIt() {
        let policy = OCRPolicy()
        let images = ["a.jpg", "b.jpg", "a.jpg", "c.jpg", "d.jpg", "e.jpg", "f.jpg"]
        #expect(policy.picturesToRead(images, authorHasASNIdentity: false, textHasCampaignSignal: false).isEmpty)
        let read = policy.picturesToRead(images, authorHasASNIdentity: true, textHasCampaignSignal: false)
        #expect(read == ["a.jpg", "b.jpg", "c.jpg", "d.jpg"])
        #expect(policy.picturesToRead(images, authorHasASNIdentity: false, textHasCampaignSignal: true).count == 4)
        var strict = OCRPolicy()
        strict.readWhenCampaignSignal = false
        #expect(!strict.shouldRead(authorHasASNIdentity: false, textHasCampaignSignal: true))
        #expect(OCRPolicy.everything.shouldRead(authorHasASNIdentity: false, textHasCampaignSignal: false))
    }
}
