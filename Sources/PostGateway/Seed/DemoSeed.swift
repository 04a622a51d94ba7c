import Foundation

/// `postgateway seed`: a city's worth of dossiers for the demo and the benchmarks, across every ward and commune,
/// at every stage of their lives, some of them late, beside the result-only orders of dossiers filed online or at the
/// desk — each life drawn from its index and the seed alone, and cut at `now`, so what the ledger shows is what would
/// have happened by now.
struct DemoSeed: Sendable {
    let count: Int
    let days: Int
    let now: Date
    let reference: ReferenceData
    let randomSeed: UInt64
    let dossierPrefix: String
    let resultPrefix: String
    /// The first serials this run uses: one past the ledger's counters, so seeding never reuses a number.
    let firstDossierSerial: Int
    let firstResultSerial: Int

    /// The days dossiers are taken in: the working days (and Saturdays, when post offices open) of the window.
    let intakeDays: [LocalDate]
    /// The desks open on each intake day: a seed of 2020 fills the former city's, one of today the 2025 map's.
    let desks: [LocalDate: Desks]
    /// Each desk's place in the catalogue.
    let agencyIndex: [String: Int]

    struct Desks: Sendable {
        /// The district-level desk before 1 July 2025, the provincial centre and its branches since.
        let upper: [ReferenceData.Agency]
        /// The desks of wards and communes.
        let wards: [ReferenceData.Agency]
    }
    let proceduresByLevel: [ReferenceData.ProcedureLevel: [ReferenceData.Procedure]]
    let postalProcedures: [ReferenceData.Procedure]

    init(
        count: Int, days: Int, now: Date, reference: ReferenceData, randomSeed: UInt64,
        dossierPrefix: String, resultPrefix: String, firstDossierSerial: Int, firstResultSerial: Int
    ) {
        self.count = count
        self.days = days
        self.now = now
        self.reference = reference
        self.randomSeed = randomSeed
        self.dossierPrefix = dossierPrefix
        self.resultPrefix = resultPrefix
        self.firstDossierSerial = firstDossierSerial
        self.firstResultSerial = firstResultSerial
        let today = LocalDate(now)
        let window = (0..<days).map { today.adding(days: $0 - days + 1) }
        let open = window.filter { reference.calendar.isWorkingDay($0) || $0.isoWeekday == 6 }
        intakeDays = open.isEmpty ? window : open
        var desks: [LocalDate: Desks] = [:]
        for day in intakeDays {
            let open = reference.agencies(openOn: day)
            let wards = open.filter { $0.level == .ward || $0.level == .commune }
            let upper = open.filter { $0.level == .city || $0.level == .province }
            desks[day] = Desks(upper: upper.isEmpty ? open : upper, wards: wards.isEmpty ? open : wards)
        }
        self.desks = desks
        agencyIndex = Dictionary(reference.agencies.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { first, _ in first })
        let postal = reference.procedures.filter(\.dossierByPost)
        proceduresByLevel = Dictionary(grouping: postal, by: \.level)
        postalProcedures = postal
    }

    struct Event: Sendable {
        let code: ItemEventCode
        let at: Date
        let officeCode: String
        var attempt: Int? = nil
    }

    struct OneStopStep: Sendable {
        let status: OneStopStatus
        let at: Date
    }

    struct ResultItem: Sendable {
        let number: TrackingNumber
        let officeCode: String
        /// Nil for a result-only order's item until its result is ready: until then the post does not know when it
        /// will have it.
        let dueDate: LocalDate?
        let cashOnDelivery: Int64
        let createdAt: Date
        let events: [Event]
    }

    /// What the one-stop's order of a result-only delivery says beyond the life itself (ONESTOP_API.md call 5).
    struct Order: Sendable {
        let channel: OrderChannel
        /// The commune of the delivery address (`MaDonViHanhChinh`), in force on the day of the order.
        let unitCode: String?
        let documentCount: Int
        /// Fees the citizen has not paid the agency yet (`LePhiConNo`), collected on delivery.
        let feeOwed: Int64
        let postagePaid: Bool
    }

    struct Case: Sendable {
        let origin: PostalCaseRecord.Origin
        let subject: PostalCaseRecord.Subject
        let onResult: Bool
        let openedAt: Date
        /// When, whether the post was at fault, and what it paid; nil while the case is open.
        let resolution: (at: Date, upheld: Bool, compensation: Int64)?
    }

    /// A dossier's life up to now.
    struct Life: Sendable {
        let number: TrackingNumber
        let service: ServiceType
        let procedure: ReferenceData.Procedure
        let agency: ReferenceData.Agency
        let officeCode: String
        let applicantName: String
        let idNumber: String
        let phone: String
        let address: String
        let postage: Int64
        let scope: TransitScope
        let jDate: LocalDate
        let dueDate: LocalDate
        let acceptedAt: Date
        let documents: [String]
        /// The dossier item's events after acceptance (accepted itself is `acceptedAt`).
        let events: [Event]
        let handover: (day: LocalDate, at: Date)?
        let oneStopCode: String?
        let appointment: LocalDate?
        let steps: [OneStopStep]
        let result: ResultItem?
        let postalCase: Case?
        /// A result-only order's own facts; nil for the dossiers the post carries. Such a life has no dossier item (its
        /// `number` is left unused), no handover and no ID number written; its result item is made with the order.
        let order: Order?

        var status: OneStopStep? { steps.last }
    }

    func life(_ index: Int) -> Life {
        var rng = SplitMix64(seed: randomSeed &+ UInt64(index) &* 0x2545_F491_4F6C_DD1D)
        let calendar = reference.calendar
        // In the order a counter takes them in: day by day, through office hours (7:30 to 17:00).
        let dayIndex = intakeDayIndex(of: index)
        let jDate = intakeDays[dayIndex]
        let perDay = max(1, count / intakeDays.count)
        let minute = Double(index % perDay) / Double(perDay) * 570 + Double.random(in: 0..<1, using: &rng)
        var acceptedAt = jDate.startInstant.addingTimeInterval(27_000 + minute * 60)
        if acceptedAt > now { acceptedAt = now.addingTimeInterval(-Double(count - index)) }

        // A third of dossiers go to the city's desk (the provincial centre's since 2025), the rest to the wards' and communes'.
        let open = desks[jDate]!
        let agency = rng.chance(30) ? open.upper.randomElement(using: &rng)! : open.wards.randomElement(using: &rng)!
        // The former city's own procedures now lie with the commune or the province: any procedure will do for its desk.
        let procedures = agency.level.procedureLevel.flatMap { proceduresByLevel[$0] } ?? postalProcedures
        let procedure = procedures.randomElement(using: &rng)!
        let officeCode = rng.chance(70) ? agency.servingOfficeCode : reference.offices.randomElement(using: &rng)!.code
        let office = reference.office(officeCode)!
        // One life in five is a result-only order; of the dossiers the post carries, seven in ten come back by post too.
        let serviceRoll = Double.random(in: 0..<100, using: &rng)
        let service: ServiceType = serviceRoll < 20 ? .resultOnly : serviceRoll < 76 ? .sendAndReturn : .sendOnly
        let scope = reference.scope(from: office, to: agency, on: jDate)
        let dueDate = reference.dueDate(from: jDate, scope: scope)
        let female = rng.chance(55)
        let born = Int.random(in: 1950...2006, using: &rng)
        // CCCD: province of birth (019 Thái Nguyên), a digit for sex and century, the year's last two digits, six more.
        let idNumber =
            "019" + String((born >= 2000 ? 2 : 0) + (female ? 1 : 0)) + LocalTime.pad(born % 100, 2)
            + LocalTime.pad(Int.random(in: 0..<1_000_000, using: &rng), 6)
        let phone = VietnameseNames.mobilePrefixes.randomElement(using: &rng)! + LocalTime.pad(Int.random(in: 0..<10_000_000, using: &rng), 7)
        let home = agency.level == .ward || agency.level == .commune ? agency : open.wards.randomElement(using: &rng)!
        let unit = reference.unit(of: home, today: jDate)
        let ward = unit?.fullName ?? home.name
        // Addresses name the district until 1 July 2025, the province since.
        let area = jDate > ReferenceData.lastDayOfDistricts ? ", tỉnh Thái Nguyên" : unit?.formerDistrict.map { ", \($0)" } ?? ""
        let address = "Số \(Int.random(in: 1...300, using: &rng)), tổ \(Int.random(in: 1...30, using: &rng)), \(ward)\(area)"
        let postage: Int64 = (procedure.fee > 0 ? 30_000 : 22_000) * (service == .sendAndReturn ? 2 : 1)
        let number = TrackingNumber(prefix: dossierPrefix, serial: firstDossierSerial + index)
        if service == .resultOnly {
            return orderLife(
                index, number: number, orderedAt: acceptedAt, agency: agency, procedure: procedure, unitCode: unit?.code,
                female: female, idNumber: idNumber, phone: phone, address: address, postage: postage, using: &rng)
        }

        var events: [Event] = []
        var steps: [OneStopStep] = []
        func reach(_ event: Event) -> Bool {
            guard event.at <= now else { return false }
            events.append(event)
            return true
        }
        func step(_ status: OneStopStatus, _ time: Date) -> Bool {
            guard time <= now else { return false }
            steps.append(OneStopStep(status: status, at: time))
            return true
        }
        _ = step(.registered, acceptedAt.addingTimeInterval(60))

        // The dossier's road to the desk; one in fifty stalls on it (lost track of, waiting, mis-sorted) and goes late.
        let stalls = rng.chance(2)
        var handover: (day: LocalDate, at: Date)?
        if reach(Event(code: .dispatched, at: max(acceptedAt.addingTimeInterval(1800), at(jDate, hours: 16)), officeCode: officeCode)), !stalls {
            let arrivalDay = calendar.adding(workingDays: rng.chance(90) || scope == .sameZone ? 1 : 2, to: jDate)
            let signedAt = at(arrivalDay, hours: 10 + Double(agencyIndex[agency.code] ?? 0) / 10)
            if reach(Event(code: .arrived, at: at(arrivalDay, hours: 8), officeCode: agency.servingOfficeCode)),
                reach(Event(code: .handedOver, at: signedAt, officeCode: agency.servingOfficeCode))
            {
                handover = (arrivalDay, signedAt)
            }
        }

        var code: String?
        var appointment: LocalDate?
        var result: ResultItem?
        if let handover, step(.received, handover.at.addingTimeInterval(3600)) {
            let days = max(1, procedure.processingDays)
            appointment = calendar.adding(workingDays: days, to: handover.day)
            // The desk numbers its day; the serial keeps the code unique across seed runs too.
            code = "\(agency.code)-\(String(handover.day.compact.dropFirst(2)))-\(LocalTime.pad(firstDossierSerial + index, 8))"
            let outcome = Double.random(in: 0..<100, using: &rng)
            // The desk starts on a dossier the working day after it receives it.
            let processingAt = at(calendar.adding(workingDays: 1, to: handover.day), hours: 10)
            if step(.processing, processingAt) {
                if outcome < 2 {
                    _ = step(.rejected, at(calendar.adding(workingDays: Int.random(in: 1...3, using: &rng), to: handover.day), hours: 15))
                } else if outcome < 3 {
                    _ = step(.withdrawn, at(calendar.adding(workingDays: Int.random(in: 1...3, using: &rng), to: handover.day), hours: 11))
                } else if outcome < 7 {
                    _ = step(.supplementRequested, at(calendar.adding(workingDays: 1, to: handover.day), hours: 14))
                } else {
                    let readyAt = readyTime(outcome, days: days, after: handover.day, startedAt: processingAt, using: &rng)
                    let readyDay = LocalDate(readyAt)
                    if step(.resultReady, readyAt) {
                        result = resultItem(
                            index, service: service, agency: agency, officeCode: officeCode, scope: scope, readyDay: readyDay,
                            readyAt: readyAt, using: &rng)
                        if service == .sendAndReturn, let delivered = result?.events.last(where: { $0.code == .delivered }) {
                            _ = step(.resultReturned, delivered.at)
                        } else if service == .sendOnly, rng.chance(85) {
                            _ = step(.resultReturned, readyAt.addingTimeInterval(Double(Int.random(in: 1...5, using: &rng)) * 86_400))
                        }
                    }
                }
            }
        }

        return Life(
            number: number, service: service, procedure: procedure, agency: agency, officeCode: officeCode,
            applicantName: VietnameseNames.name(female: female, using: &rng),
            idNumber: idNumber, phone: phone, address: address, postage: postage, scope: scope, jDate: jDate, dueDate: dueDate,
            acceptedAt: acceptedAt, documents: procedure.documents, events: events, handover: handover, oneStopCode: code,
            appointment: appointment, steps: steps, result: result,
            postalCase: postalCase(stalled: stalls, result: result, jDate: jDate, using: &rng), order: nil)
    }

    /// A result-only order (contract v2): the citizen filed the dossier with the desk online, or at the desk itself, and
    /// asked for the result by post, so the one-stop ordered its delivery the moment it took the dossier in. The desk
    /// works on it as on the post's dossiers; the post carries nothing until the result is ready, and then only it.
    private func orderLife(
        _ index: Int, number: TrackingNumber, orderedAt: Date, agency: ReferenceData.Agency, procedure: ReferenceData.Procedure,
        unitCode: String?, female: Bool, idNumber: String, phone: String, address: String, postage: Int64,
        using rng: inout SplitMix64
    ) -> Life {
        let calendar = reference.calendar
        let dayIndex = intakeDayIndex(of: index)
        let jDate = intakeDays[dayIndex]
        let days = max(1, procedure.processingDays)
        let order = Order(
            channel: rng.chance(75) ? .portal : .desk, unitCode: unitCode, documentCount: Int.random(in: 1...3, using: &rng),
            feeOwed: rng.chance(60) ? procedure.fee : 0, postagePaid: rng.chance(40))
        // Started the working day after, and finished with the spread of the post's dossiers that reach a result.
        let startedAt = at(calendar.adding(workingDays: 1, to: jDate), hours: 10)
        let readyAt = readyTime(Double.random(in: 7..<100, using: &rng), days: days, after: jDate, startedAt: startedAt, using: &rng)
        // Planned as the gateway plans an order's item: when the order comes, and again when its result is ready. (It
        // only plans here: the seed numbers its items itself, from `firstResultSerial`.)
        let planner = ResultItemPlanner(series: .whole(resultPrefix), reference: reference)
        var plan = planner.plan(
            agencyCode: agency.code, fallbackOfficeCode: agency.servingOfficeCode, transitScope: .interProvince, resultUnitCode: unitCode,
            resultProvinceCode: nil, intakeDay: LocalDate(orderedAt), readyAt: orderedAt)
        var steps = [OneStopStep(status: .processing, at: orderedAt)]
        var events: [Event] = []
        var itemDueDate: LocalDate?
        if readyAt <= now {
            steps.append(OneStopStep(status: .resultReady, at: readyAt))
            plan = planner.plan(
                agencyCode: agency.code, fallbackOfficeCode: plan.officeCode, transitScope: plan.scope, resultUnitCode: unitCode,
                resultProvinceCode: nil, intakeDay: LocalDate(readyAt), readyAt: readyAt)
            events = resultJourney(agency: agency, officeCode: plan.officeCode, readyDay: LocalDate(readyAt), using: &rng)
            // Once picked up, the item's J is the day the post took it from the agency, as the pickup scan writes it.
            itemDueDate = events.first.map { reference.dueDate(from: LocalDate($0.at), scope: plan.scope) } ?? plan.dueDate
            if let delivered = events.last(where: { $0.code == .delivered }) {
                steps.append(OneStopStep(status: .resultReturned, at: delivered.at))
            }
        }
        let result = ResultItem(
            number: resultNumber(index), officeCode: plan.officeCode, dueDate: itemDueDate,
            cashOnDelivery: order.feeOwed + (order.postagePaid ? 0 : postage), createdAt: orderedAt, events: events)
        // The desk numbers a day's dossiers as it takes them in, online or not, so its orders' sequences have gaps.
        // Counting from the run's first result serial keeps them apart from another run's of the same day, and short
        // of the eight-digit serials in the codes the seed gives the post's dossiers.
        let sequence = firstResultSerial + index - firstIndex(onDay: dayIndex)
        return Life(
            number: number, service: .resultOnly, procedure: procedure, agency: agency, officeCode: plan.officeCode,
            applicantName: VietnameseNames.name(female: female, using: &rng), idNumber: idNumber, phone: phone, address: address,
            postage: 0, scope: plan.scope, jDate: jDate, dueDate: plan.dueDate, acceptedAt: orderedAt, documents: [], events: [],
            handover: nil, oneStopCode: "\(agency.code)-\(String(jDate.compact.dropFirst(2)))-\(LocalTime.pad(sequence, 4))",
            appointment: calendar.adding(workingDays: days, to: jDate), steps: steps, result: result, postalCase: nil, order: order)
    }

    /// The intake day a life is laid on: lives fill the days in index order.
    private func intakeDayIndex(of index: Int) -> Int { min(intakeDays.count - 1, index * intakeDays.count / max(count, 1)) }

    /// The first index laid on intake day `day`, so that a life's place in its day is its index less this.
    private func firstIndex(onDay day: Int) -> Int { (day * max(count, 1) + intakeDays.count - 1) / intakeDays.count }

    private func resultNumber(_ index: Int) -> TrackingNumber { TrackingNumber(prefix: resultPrefix, serial: firstResultSerial + index) }

    /// `hours` after the start of `day`, local time.
    private func at(_ day: LocalDate, hours: Double) -> Date { day.startInstant.addingTimeInterval(hours * 3600) }

    /// When the desk has the result, by `outcome` (7 to 100): mostly on the appointment day, `days` working days after
    /// `day`, a third early, one in ten late by up to a week; never before the desk has worked on it an hour.
    private func readyTime(_ outcome: Double, days: Int, after day: LocalDate, startedAt: Date, using rng: inout SplitMix64) -> Date {
        let shift = outcome < 40 ? -Int.random(in: 1...2, using: &rng) : outcome < 90 ? 0 : Int.random(in: 1...5, using: &rng)
        return max(
            startedAt.addingTimeInterval(3600),
            at(reference.calendar.adding(workingDays: max(0, days + shift), to: day), hours: 8 + Double.random(in: 0..<8, using: &rng)))
    }

    private func resultItem(
        _ index: Int, service: ServiceType, agency: ReferenceData.Agency, officeCode: String, scope: TransitScope,
        readyDay: LocalDate, readyAt: Date, using rng: inout SplitMix64
    ) -> ResultItem? {
        guard service == .sendAndReturn else { return nil }
        let events = resultJourney(agency: agency, officeCode: officeCode, readyDay: readyDay, using: &rng)
        return ResultItem(
            number: resultNumber(index), officeCode: agency.servingOfficeCode, dueDate: reference.dueDate(from: readyDay, scope: scope),
            cashOnDelivery: Int64(Int.random(in: 0...2, using: &rng)) * 25_000, createdAt: readyAt, events: events)
    }

    /// The result's way home: picked up at the desk's office, out for delivery from `officeCode`, delivered — or
    /// failed, tried again two working days later, and returned to the agency after the second failure.
    private func resultJourney(agency: ReferenceData.Agency, officeCode: String, readyDay: LocalDate, using rng: inout SplitMix64) -> [Event] {
        let calendar = reference.calendar
        var events: [Event] = []
        func reach(_ event: Event) -> Bool {
            guard event.at <= now else { return false }
            events.append(event)
            return true
        }
        let pickupDay = calendar.adding(workingDays: 1, to: readyDay)
        let stalls = rng.chance(1)
        if reach(Event(code: .pickedUp, at: at(pickupDay, hours: 9), officeCode: agency.servingOfficeCode)), !stalls {
            var day = calendar.adding(workingDays: 1, to: pickupDay)
            for attempt in 1...2 {
                guard reach(Event(code: .outForDelivery, at: at(day, hours: 8), officeCode: officeCode, attempt: attempt)) else { break }
                if rng.chance(attempt == 1 ? 92 : 70) {
                    _ = reach(
                        Event(
                            code: .delivered, at: at(day, hours: 9 + Double.random(in: 0..<7, using: &rng)), officeCode: officeCode, attempt: attempt)
                    )
                    break
                }
                guard reach(Event(code: .deliveryFailed, at: at(day, hours: 16), officeCode: officeCode, attempt: attempt)) else { break }
                if attempt == 2 {
                    _ = reach(
                        Event(
                            code: .returnedToAgency, at: at(calendar.adding(workingDays: 1, to: day), hours: 10), officeCode: agency.servingOfficeCode
                        ))
                }
                day = calendar.adding(workingDays: 2, to: day)
            }
        }
        return events
    }

    /// About one dossier in a hundred brings a complaint (most of them about a stalled item) or a loss or damage
    /// found by the post; a case is resolved within its days, and the post pays when it was at fault.
    private func postalCase(stalled: Bool, result: ResultItem?, jDate: LocalDate, using rng: inout SplitMix64) -> Case? {
        let roll = Double.random(in: 0..<100, using: &rng)
        let subject: PostalCaseRecord.Subject
        let origin: PostalCaseRecord.Origin
        if stalled && roll < 40 {
            (origin, subject) = (.customer, .delay)
        } else if roll < 0.4 {
            (origin, subject) = (.customer, .other)
        } else if roll < 0.5 {
            (origin, subject) = (.post, .damaged)
        } else if roll < 0.55 {
            (origin, subject) = (.post, .lost)
        } else {
            return nil
        }
        let onResult = result != nil && rng.chance(50)
        let openedAt = (onResult ? result!.createdAt : jDate.startInstant).addingTimeInterval(Double(Int.random(in: 2...6, using: &rng)) * 86_400)
        guard openedAt <= now else { return nil }
        let resolvedAt = openedAt.addingTimeInterval(Double(Int.random(in: 1...9, using: &rng)) * 86_400)
        guard resolvedAt <= now else { return Case(origin: origin, subject: subject, onResult: onResult, openedAt: openedAt, resolution: nil) }
        let upheld = subject != .other || rng.chance(30)
        let compensation: Int64 = upheld && subject != .delay ? Int64(Int.random(in: 1...20, using: &rng)) * 50_000 : 0
        return Case(origin: origin, subject: subject, onResult: onResult, openedAt: openedAt, resolution: (resolvedAt, upheld, compensation))
    }
}
