// Published constants the circuit models start from, each with its source.
// docs/cost-model.md lists them with the equations that use them.
#pragma once

namespace tessera::published {

// Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC
// 2014, 45 nm at 0.9 V: a 32-bit integer add costs 0.1 pJ and 137 um^2; a
// 64-bit read of an 8 KB SRAM costs 10 pJ (32 KB: 20 pJ, 1 MB: 100 pJ, i.e.
// energy per bit grows as the square root of capacity).
constexpr double kAdd32EnergyPj = 0.1;
constexpr double kAdd32AreaUm2 = 137;
constexpr double kSram8kbBitEnergyPj = 10.0 / 64;
constexpr double kSramRefBytes = 8192;

// Timing of digital units: ISAAC (Shafiee et al., ISCA 2016, 32 nm) feeds
// its shift-and-add units one sample per cycle of its 8-bit ADCs at
// 1.28 GS/s, so a digital unit's pipeline stage fits 1/1.28 ns at 32 nm
// (high-performance transistors at 0.9 V). Other nodes, flavours and supplies
// scale it by Stillmaker and Baas's delay fits.
constexpr double kDigitalStageNs = 1.0 / 1.28;
constexpr int kDigitalStageNodeNm = 32;

// Bit-cell areas (F^2): 6T SRAM ~146 F^2 (ITRS 2013 ORTC), a flip-flop about
// four 6T cells, 1T1C eDRAM ~60 F^2 (ITRS); array efficiency (cells / macro
// area) ~0.7 (CACTI-class macros).
constexpr double kSramCellF2 = 146;
constexpr double kRegisterCellF2 = 4 * 146;
constexpr double kEdramCellF2 = 60;
constexpr double kArrayEfficiency = 0.7;

// Transistor width per layout area: a 6T cell holds ~9 F of width in 146 F^2,
// about 0.06 / F; used to turn an area into leaking width.
constexpr double kWidthPerAreaF = 0.06;

// Intermediate-metal wire pitch, in F (ITRS: ~2-4 F).
constexpr double kWirePitchF = 4;

// MIM capacitor density (fF/um^2), for hold capacitors (ITRS RF/AMS: ~2).
constexpr double kCapDensityFfPerUm2 = 2;

// Write periphery of cells programmed above the core supply (RRAM, PCM,
// FeFET): every row (word line) and every column (bit line and source line)
// gets a level shifter whose output stage is the line's write driver, built
// from thick-oxide I/O transistors: 2.5 V I/O devices of 22-65 nm foundry
// processes have a minimum gate length of ~0.27 um and width of ~0.4 um and
// drive ~500 uA/um (the I/O option of the node; NeuroSim V1.4's level shifter
// also assumes 270 nm I/O gates). A conventional cross-coupled shifter with
// an output inverter is 6 transistors; a transistor's footprint is its width
// plus a gate length either side, by its gate and two contacted diffusions
// (3 gate lengths).
constexpr double kIoGateLengthUm = 0.27;
constexpr double kIoMinWidthUm = 0.4;
constexpr double kIoOnCurrentUaPerUm = 500;
constexpr int kLevelShifterTransistors = 6;
// A 1T1R/1FeFET cell is 12 F wide (NeuroSim V1.4's layout); its height holds
// the access transistor's width plus 2 F of isolation.
constexpr double kAccessCellWidthF = 12;
constexpr double kAccessIsolationF = 2;

// A latched comparator with its preamplifier: ~40 fJ per decision and ~20
// um^2 at 45 nm, 0.9 V (an assumption of the order of published latched
// comparators; the flash ADC's default and the SAR's per-bit decision).
constexpr double kLatchedComparatorFj = 40;

// SAR ADCs of Murmann's ADC Performance Survey (1997-2024), by the figures
// in their titles (resolution, rate, power, node): the SAR cost model's
// Walden figure of merit is their energy per conversion step at nominal
// resolution less the comparator's decisions, (P / f_s - bits E_cmp) / 2^bits,
// each brought to one node by the
// Stillmaker-Baas energy scaling, and averaged geometrically
// (sar_fitted_fom_fj, arch/components/converter.cpp).
struct SarSurveyPoint {
  const char* source;
  int node_nm;
  int bits;
  double rate_msps;
  double power_mw;
};
constexpr SarSurveyPoint kSarSurvey[] = {
    {"Kull et al., ISSCC 2013: 8 b, 1.2 GS/s, 3.1 mW, 32 nm SOI", 32, 8, 1200, 3.1},
    {"Liu et al., JSSC 2010: 10 b, 50 MS/s, 0.826 mW, 130 nm", 130, 10, 50, 0.826},
    {"Harpe et al., JSSC 2011: 8 b, 10 MS/s, 26 uW, 90 nm", 90, 8, 10, 0.026},
    {"van Elzakker et al., JSSC 2010: 10 b, 1 MS/s, 1.9 uW, 65 nm", 65, 10, 1, 0.0019},
};

// Router input buffers: 4 flits per port (a common virtual-channel depth).
constexpr int kRouterBufferFlits = 4;

}  // namespace tessera::published
