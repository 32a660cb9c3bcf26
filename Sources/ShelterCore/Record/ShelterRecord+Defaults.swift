extension ShelterRecord {
    /// The record's documented defaults, stated once: `ShelterRecord.init`, `Battery.init` and the site-file
    /// validator all take them from here.
    public enum Defaults {
        /// Required living area per person, m² (GB 21734-2008 §5.4).
        public static let requiredAreaPerPerson = 1.5
        /// Design duration of stay, days (GB 51143-2015: emergency shelters open 1 to 3 days).
        public static let designDurationDays = 3.0
        /// Water ration, L per person per day (Sphere handbook, water supply standard 2.2).
        public static let waterRationPerPersonPerDay = 15.0
        /// Usable depth of discharge of a battery store, fraction (site policy; typical for LiFePO4).
        public static let batteryDepthOfDischarge = 0.8
        /// Inverter efficiency of a battery store, fraction (site policy).
        public static let batteryEfficiency = 0.9
    }
}
