/**
 * Word lists for the generated search catalog: the words, given names and family names of
 * several languages as they appear in real tags (accents, ligatures, short words, and Cyrillic,
 * Greek and Chinese/Japanese script that stays as it is after folding), most common first
 * within each list, and the pieces each language's rarer words are made of.
 */
export interface Language {
  code: string;
  /** Title words, most common first. */
  words: readonly string[];
  /** Little words that join title words ("of", "de", "und"); the first two also open titles ("The", "La"). */
  joins: readonly string[];
  /** How a band of this language names itself, around a plural word. */
  bandArticle: string;
  given: readonly string[];
  family: readonly string[];
  /** Syllables (single characters in Chinese and Japanese script) its rarer words are built from. */
  pieces: readonly string[];
  /** Endings of those words, and of its surnames ("-son", "-mann", "-ов"). */
  endings: readonly string[];
  surnameEndings: readonly string[];
  /** Written without spaces (Chinese, Japanese): a phrase's words and a person's names run together, family name first. */
  unspaced?: boolean;
}

const list = (text: string) => text.split(' ');

export const languages: readonly Language[] = [
  {
    code: 'en',
    words: [
      'Love', 'Night', 'Heart', 'Baby', 'Time', 'Light', 'Fire', 'Dream', 'Summer', 'Girl', 'World', 'Rain', 'Home', 'Blue',
      'Forever', 'Tonight', 'Gold', 'Golden', 'River', 'Midnight', 'Harbor', 'Lights', 'Small', 'Hours', 'Sun', 'Moon', 'Stars',
      'Wild', 'Dance', 'Radio', 'Ghost', 'Glass', 'Electric', 'Velvet', 'Shadow', 'Ocean', 'Highway', 'City', 'Road', 'Kiss',
      'Angel', 'Devil', 'Tears', 'Heaven', 'Crazy', 'Sweet', 'Dark', 'Dreams', 'Fever', 'Paper', 'Silver', 'Winter', 'Echo',
      'Signal', 'Lantern', 'Hollow', 'Garden', 'Thunder', 'Orbit', 'Crimson', 'Meadow', 'Canyon', 'Neon', 'Ember', 'Tide',
      'Marble', 'Cathedral', 'Satellite', 'Horizon', 'Wildfire', 'Falcon', 'Mirror', 'Copper', 'Lonely', 'Hearts', 'Nights',
      'Morning', 'Sunday', 'Saturday', 'Yesterday', 'Tomorrow', 'Memory', 'Ode', 'Young', 'Running', 'Falling', 'Burning',
      'Waiting', 'Feeling', 'Holiday', 'Seven', 'Hundred', 'Thousand', 'Miles', 'Diamonds', 'Honey', 'Whiskey', 'Cherry',
      'Strawberry', 'Rebel', 'Stranger', 'Wonder', 'Alright', 'Together', 'Brother', 'Sister', 'Mother', 'Daddy', 'Sugar',
      'Rhythm', 'Groove', 'Soul', 'Blues', 'Boogie', 'Funky', 'Rocket', 'Paradise', 'Island', 'Desert', 'Storm', 'Breathe',
      'Smile', 'Hurricane', 'Chasing', 'Whisper', 'Shelter', 'Lullaby', 'Serenade', 'Anthem', 'Ballad', 'Symphony',
    ],
    joins: ['the', 'my', 'of', 'in', 'on', 'for', 'and', 'me', 'you', 'to', 'a'],
    bandArticle: 'The',
    given: ['James', 'Emily', 'Michael', 'Sarah', 'David', 'Olivia', 'Jack', 'Grace', 'Thomas', 'Chloe', 'Daniel', 'Lucy', 'Ryan', 'Hannah', 'Billy', 'Ruby', 'Sam', 'Amy', 'Leo', 'Kate'],
    family: ['Smith', 'Johnson', 'Walker', 'Turner', 'Harris', 'Clarke', 'Wright', 'Hughes', 'Bennett', 'Carter', 'Morgan', 'Reed', 'Hayes', 'Porter', 'Fletcher', 'Brooks'],
    pieces: list('ba be bi bo bu bla bre cha che cla cro da de di do dra fa fe fi fo fla fro ga ge gi go gra ha he hi ho hu ja jo ka ke ki la le li lo lu ma me mi mo mu na ne ni no pa pe pi po pra qui ra re ri ro ru sa se si so sha sho sla sna spa sta ste sto swa ta te ti to tra tri twi va ve vi wa we wi wo ya zo'),
    endings: list('er y ing ley ton en ow ard ie et ish'),
    surnameEndings: list('son ley ton ford wood er ham worth field by well man'),
  },
  {
    code: 'fr',
    words: [
      'Amour', 'Nuit', 'Cœur', 'Soleil', 'Été', 'Rêve', 'Ciel', 'Mer', 'Étoile', 'Lumière', 'Chanson', 'Vie', 'Forêt', 'Âme',
      'Château', 'Fenêtre', 'Île', 'Noël', 'Hiver', 'Printemps', 'Pluie', 'Ville', 'Matin', 'Jardin', 'Fleur', 'Larmes', 'Oiseau',
      'Rivière', 'Désir', 'Éternité', 'Mémoire', 'Silence', 'Tendresse', 'Voyage', 'Lune', 'Cerise', 'Pièce', 'Bohème', 'Œil',
      'Sœur', 'Frère', 'Fièvre', 'Demain', 'Hier', 'Toujours', 'Jamais', 'Rose', 'Valse', 'Déjà', 'Fête', 'Plage', 'Côte',
    ],
    joins: ['la', 'le', 'de', 'du', 'des', 'et', 'à', 'sur', 'sans'],
    bandArticle: 'Les',
    given: ['Camille', 'Benoît', 'Hélène', 'Jérôme', 'Amélie', 'Léa', 'François', 'Zoé', 'Gaël', 'Maëlle', 'Chloé', 'Élodie', 'Noël', 'Agnès', 'Loïc', 'Céline'],
    family: ['Dubois', 'Lefèvre', 'Moreau', 'Girard', 'Bézier', 'Lemaître', 'Rousseau', 'Fontaine', 'Leroux', 'Mercier', 'Chevalier', 'Bœuf', 'Gauthier', 'Bonnaire'],
    pieces: list('ba be bé bi bo bou ca cha che chè ci co cou da de dé di do dou fa fe fi fo ga ge gi gou la le lé li lo lou ma me mé mi mo mou na ne né ni no pa pe pé pi po pou ra re ré ri ro rou sa se sé si so sou ta te té ti to tou va ve vé vi vo'),
    endings: list('eau ette ière ain on ard eux ise ine elle ier'),
    surnameEndings: list('ier eau in ard et ot ac ès oux ière'),
  },
  {
    code: 'de',
    words: [
      'Nacht', 'Herz', 'Liebe', 'Sonne', 'Vieh', 'Himmel', 'Stadt', 'Traum', 'Wald', 'Feuer', 'Straße', 'Mädchen', 'Grün', 'Über',
      'Schön', 'Sehnsucht', 'Frühling', 'Müde', 'Zeit', 'Welt', 'Lied', 'Regen', 'Sterne', 'Wasser', 'Freiheit', 'Eis',
      'Glück', 'Blumen', 'Morgen', 'Ewigkeit', 'Dunkelheit', 'Kinder', 'Schnee', 'Tränen', 'Wüste', 'Brücke', 'Fräulein',
      'Mondschein', 'Heimat', 'Lärm', 'Spiegel', 'Gold', 'Fluss', 'Sommer', 'König', 'Träume', 'Märchen', 'Kälte',
    ],
    joins: ['die', 'der', 'das', 'und', 'im', 'am', 'vom', 'ohne', 'für'],
    bandArticle: 'Die',
    given: ['Jürgen', 'Lena', 'Matthias', 'Sabine', 'Jörg', 'Katrin', 'Uwe', 'Anja', 'Tobias', 'Björn', 'Käthe', 'Günter', 'Annegret'],
    family: ['Müller', 'Schäfer', 'Köhler', 'Weiß', 'Hoffmann', 'Becker', 'Schröder', 'Krüger', 'Groß', 'Vogel', 'Wagner', 'Böhm', 'Lange', 'Fuchs'],
    pieces: list('ba be bi bo bu bä da de di do dra fa fe fi fo fü ga ge gi go gu ha he hi ho hö ka ke ki ko kä la le li lo lö ma me mi mo mü na ne ni no ra re ri ro rü sa scha schi schwa se sto stu ta te ti to tra wa we wi wo zu zei'),
    endings: list('en er ung heit lich chen ig el'),
    surnameEndings: list('mann er berg feld ke hardt stein dorf bach ler'),
  },
  {
    code: 'es',
    words: [
      'Corazón', 'Noche', 'Amor', 'Sol', 'Luz', 'Mar', 'Cielo', 'Canción', 'Fuego', 'Sueño', 'Niña', 'Mañana', 'Vida', 'Luna',
      'Camino', 'Alegría', 'Tristeza', 'Corazones', 'Lágrimas', 'Verano', 'Bailar', 'Mariposa', 'Tierra', 'Ciudad', 'Sangre',
      'Libertad', 'Olvido', 'Recuerdos', 'Besos', 'Pasión', 'Guitarra', 'Río', 'Montaña', 'Estrella', 'Azúcar', 'Fiesta',
      'Cumbia', 'Morena', 'Señorita', 'Dolor', 'Siempre', 'Nunca', 'Jardín', 'Alma', 'Tú', 'Ojos', 'Viento',
    ],
    joins: ['el', 'la', 'de', 'del', 'y', 'en', 'sin', 'mi', 'con', 'los'],
    bandArticle: 'Los',
    given: ['José', 'María', 'Sofía', 'Andrés', 'Lucía', 'Ramón', 'Inés', 'Íñigo', 'Begoña', 'Joaquín', 'Martín', 'Rocío', 'Álvaro', 'Pilar'],
    family: ['García', 'Martínez', 'Pérez', 'Gómez', 'Fernández', 'Núñez', 'Ibáñez', 'Muñoz', 'Ortega', 'Castillo', 'Vargas', 'Domínguez', 'Sáenz'],
    pieces: list('ba be bi bo ca ce ci co cu cha da de di do du fa fe ga go gu ja je jo la le li lo lu lla ma me mi mo mu na ne ni no ña ño pa pe pi po ra re ri ro ru sa se si so ta te ti to va ve vi za'),
    endings: list('ón ía ero ita ado ez ito ura ano'),
    surnameEndings: list('ez es ero ado illo ón ía ano'),
  },
  {
    code: 'pt',
    words: [
      'Saudade', 'Coração', 'Canção', 'Mar', 'Sol', 'Lua', 'Céu', 'Noite', 'Sonho', 'Amanhã', 'Pão', 'Ilusão', 'Alma',
      'Caminho', 'Estrela', 'Paixão', 'Verão', 'Menina', 'Samba', 'Chão', 'Mãe', 'Tempo', 'Lisboa', 'Fado', 'Solidão',
      'Esperança', 'Cidade', 'Janela', 'Bossa', 'Maré', 'Onda', 'Praia', 'Saudades', 'Sertão', 'Ventania', 'Luar', 'Ação',
    ],
    joins: ['o', 'a', 'de', 'da', 'do', 'e', 'em', 'na', 'no', 'sem'],
    bandArticle: 'Os',
    given: ['João', 'Conceição', 'Gonçalo', 'Inês', 'Tomás', 'Leonor', 'Sebastião', 'Luíza', 'Antônio', 'Márcia', 'Caetano', 'Beatriz'],
    family: ['Gonçalves', 'Simões', 'Magalhães', 'Araújo', 'Brandão', 'Conceição', 'Lourenço', 'Guimarães', 'Assunção', 'Falcão', 'Veloso'],
    pieces: list('ba be bi bo ca ce co cu da de do fa fe ga go ja jo la le li lo lu lha ma me mi mo na ne no nha pa pe po ra re ri ro sa se si so ta te to va ve vi'),
    endings: list('ção ão inho inha eira ões ado ês'),
    surnameEndings: list('es eira ão ado ões inho'),
  },
  {
    code: 'it',
    words: [
      'Amore', 'Notte', 'Cuore', 'Sole', 'Luna', 'Città', 'Perché', 'Più', 'Cielo', 'Mare', 'Vita', 'Canzone', 'Sogno', 'Stella',
      'Domani', 'Libertà', 'Ode', 'Estate', 'Ragazza', 'Bella', 'Tempo', 'Felicità', 'Lacrime', 'Strada', 'Primavera',
      'Nostalgia', 'Fiori', 'Cuori', 'Sempre', 'Mai', 'Caffè', 'Però', 'Velluto', 'Tramonto', 'Pioggia', 'Giardino', 'Gioventù',
    ],
    joins: ['il', 'la', 'di', 'del', 'della', 'e', 'per', 'senza', 'in', 'un'],
    bandArticle: 'I',
    given: ['Niccolò', 'Lucia', 'Giuseppe', 'Francesca', 'Andrea', 'Chiara', 'Matteo', 'Nicolò', 'Ilaria', 'Gianluca', 'Federica', 'Fabrizio'],
    family: ['Rossi', 'Bianchi', 'Esposito', 'Ricci', 'Mancini', 'Lucà', 'Colombo', 'Marino', 'Romano', 'Galli', 'Conti', 'Fabbri', 'Sanità'],
    pieces: list('ba be bi bo ca ce ci co da de di do fa fe fi fo ga ge gi go gna la le li lo lu ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi vo za ze zo'),
    endings: list('ino ina etta ello ella one à ò ata'),
    surnameEndings: list('ini etti elli one ucci ato ese ani'),
  },
  {
    code: 'is',
    words: [
      'Ljós', 'Nótt', 'Hjarta', 'Sól', 'Vatn', 'Fjall', 'Draumur', 'Ást', 'Himinn', 'Vindur', 'Myrkur', 'Eldur', 'Haf', 'Snjór',
      'Þögn', 'Hafið', 'Vetur', 'Sumar', 'Jörð', 'Fljótið', 'Norðurljós', 'Ísland', 'Skýin', 'Hjärta', 'Mörker', 'Sommar',
      'Kärlek', 'Ljus', 'Fjäll', 'Vinter', 'Sjön', 'Nattens', 'Stjärnor', 'Hav', 'Søvn', 'Kærlighed', 'Lykke', 'Mørke', 'Drøm',
      'Älva', 'Skog', 'Ö', 'Ängel', 'Hösten', 'Blåbär',
    ],
    joins: ['í', 'á', 'og', 'och', 'i', 'på', 'af', 'med'],
    bandArticle: '',
    given: ['Ólafur', 'Guðrún', 'Sigríður', 'Björn', 'Þórdís', 'Ásgeir', 'Hildur', 'Ragnar', 'Sölvi', 'Eyþór', 'Åsa', 'Søren', 'Linnéa', 'Märta', 'Øystein', 'Jónsi'],
    family: ['Jónsdóttir', 'Guðmundsson', 'Stefánsson', 'Þórsson', 'Ólafsdóttir', 'Magnússon', 'Lindqvist', 'Sjöberg', 'Løvland', 'Ødegård', 'Åkesson', 'Hallgrímsson'],
    pieces: list('bra da dø e fjö gu hal hrí jó kar lá lin mö nor ól rag sæ sig skó stá sve tó úl val ve þó ðu ey au bjø grå frø så'),
    endings: list('ur ir ar in an ið ing'),
    surnameEndings: list('sson dóttir sen berg lund ström qvist dal'),
  },
  {
    code: 'ja',
    words: [
      'Sakura', 'Hikari', 'Yoru', 'Kokoro', 'Yume', 'Sora', 'Hana', 'Kaze', 'Tsuki', 'Ame', 'Namida', 'Natsu', 'Fuyu', 'Umi',
      'Hoshi', 'Tōkyō', 'Mirai', 'Sayonara', 'Ryūsei', 'Koi', 'Aoi', 'Shōnen', 'Kimi', 'Boku', 'Ai', 'Uta', 'Matsuri', 'Yūyake',
      'Kagayaki', 'Tabidachi', 'Kioku', 'Hanabi', 'Kōen', 'Densha', 'Kūki', 'Asa', 'Neko',
    ],
    joins: ['kimi', 'boku', 'no', 'to', 'wa', 'ni', 'e'],
    bandArticle: '',
    given: ['Hiroshi', 'Yuki', 'Aiko', 'Kenji', 'Haruka', 'Takeshi', 'Sakura', 'Ren', 'Yui', 'Daichi', 'Shōta', 'Yūko', 'Kōji', 'Ryō'],
    family: ['Tanaka', 'Suzuki', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Watanabe', 'Satō', 'Itō', 'Katō', 'Yoshida', 'Ōno', 'Saitō'],
    pieces: list('a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho ma mi mu me mo ya yu yo ra ri ru re ro wa ga gi go za ji zu da do ba bi bu bo kyō ryū shō jō kō'),
    endings: list('n ko ki ya ra'),
    surnameEndings: list('moto mura kawa yama da ta shita hara no saki'),
  },
  {
    code: 'ru',
    words: [
      'Любовь', 'Ночь', 'Сердце', 'Звезда', 'Город', 'Весна', 'Зима', 'Лето', 'Небо', 'Море', 'Река', 'Ветер', 'Дождь', 'Солнце',
      'Луна', 'Время', 'Жизнь', 'Мечта', 'Песня', 'Дорога', 'Осень', 'Огонь', 'Снег', 'Память', 'Тишина', 'Свет', 'Ёлка',
      'Птица', 'Война', 'Мир', 'Крылья', 'Облака', 'Утро', 'Вечер', 'Танцы', 'Кино', 'Звёзды', 'Белый', 'Чёрный', 'Последний',
    ],
    joins: ['и', 'в', 'на', 'без', 'для', 'под', 'о'],
    bandArticle: '',
    given: ['Алексей', 'Мария', 'Иван', 'Наталья', 'Дмитрий', 'Ольга', 'Сергей', 'Анна', 'Юрий', 'Екатерина', 'Виктор', 'Татьяна', 'Пётр', 'Алёна'],
    family: ['Иванов', 'Смирнов', 'Кузнецов', 'Попова', 'Соколов', 'Лебедева', 'Козлов', 'Новиков', 'Морозова', 'Цой', 'Королёв', 'Волков'],
    pieces: list('ба бе би бо бу ва ве ви во да де ди до жа же за зе зи ка ки ко ку ла ле ли ло лу ма ме ми мо му на не ни но па пе пи по ра ре ри ро ру са се си со та те ти то ту ха хо ча че чи ша ше щи ю я ё'),
    endings: list('ов ин ка ня ец ий ая ое ть'),
    surnameEndings: list('ов ев ин ский енко ова ева'),
  },
  {
    code: 'el',
    words: [
      'Αγάπη', 'Νύχτα', 'Καρδιά', 'Θάλασσα', 'Ήλιος', 'Φεγγάρι', 'Ουρανός', 'Όνειρο', 'Τραγούδι', 'Ζωή', 'Καλοκαίρι', 'Βροχή',
      'Αστέρι', 'Φως', 'Χρόνος', 'Δρόμος', 'Σιωπή', 'Ψυχή', 'Νησί', 'Μνήμη', 'Άνοιξη', 'Χειμώνας', 'Πόλη', 'Αέρας', 'Φιλί',
    ],
    joins: ['και', 'της', 'του', 'στο', 'με', 'για'],
    bandArticle: '',
    given: ['Γιώργος', 'Μαρία', 'Νίκος', 'Ελένη', 'Δημήτρης', 'Κατερίνα', 'Γιάννης', 'Σοφία', 'Κώστας', 'Άννα', 'Μάνος', 'Χάρις'],
    family: ['Παπαδόπουλος', 'Νικολάου', 'Γεωργίου', 'Οικονόμου', 'Καραγιάννης', 'Βλάχος', 'Αλεξίου', 'Χατζιδάκις', 'Θεοδωράκης', 'Πρωτοψάλτη'],
    pieces: list('α βα βι γα γε δα δε ζω θα θε κα κε κι κο λα λε λι λο μα με μι μο να νε νι νο πα πε πι πο ρα ρε ρι ρο σα σε σι σο τα τε τι το φα φι χα χο ψυ ά έ ί ό ύ ή ώ'),
    endings: list('ος ης ας ια ου ι η'),
    surnameEndings: list('όπουλος άκης ίδης ίου άς ιώτης'),
  },
  {
    code: 'cjk',
    words: [
      '愛', '夜', '心', '夢', '空', '花', '風', '月', '雨', '海', '星', '光', '桜', '恋', '涙', '君', '東京', '未来', '世界', '花火',
      '約束', '永遠', '少女', '青春', '月亮', '朋友', '时间', '故乡', '天空', '明日', '記憶', '奇跡', '自由', '希望', 'さよなら', 'ありがとう',
    ],
    joins: ['の', 'と', 'に', '的', '和'],
    bandArticle: '',
    given: ['杰伦', '菲', '龍一', '美咲', '翔', 'ヒカル', '由美', '健', '学友', '静', '秀樹', '明菜'],
    family: ['周', '王', '李', '张', '陈', '坂本', '山田', '宇多田', '中島', '林', '松田', '邓'],
    pieces: [...'愛夜心夢空花風月雨海星光春夏秋冬桜恋涙君僕歌青街時間約束東京未来明日世界火天使少女年記憶永遠虹雪白黒赤銀金森川山道旅声音色影羽鳥蝶猫夕朝陽生命希望自由奇跡運秘密我你他爱情人地中国北南西路城水云家梦想']
      .concat([...'あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわんアイウエオカキクケコサシスセソタチツテト']),
    endings: [],
    surnameEndings: [],
    unspaced: true,
  },
];

/** Decorations real titles carry; several share their words across the whole catalog. */
export const titleSuffixes = [
  ' (Remastered 2011)', ' (Remastered)', ' - Live', ' (Live)', ' (Remix)', ' (Radio Edit)', ' Part II', ' (Acoustic)',
  ' (Demo)', ' (Extended Mix)', ' - 2009 Remaster', ' (Live at Wembley)', ' (Instrumental)', ' Pt. 2',
] as const;

export const albumShapes = ['Greatest Hits', 'Live', 'The Best of', 'Unplugged', 'II', 'Deluxe Edition', 'Vol. 2', 'Anthology'] as const;

/** Compilation titles; their tracks come from many artists under "Various Artists". */
export const compilationNames = [
  'Now That’s What I Call Music', 'Café del Mar', 'Ministry of Sound Annual', 'Nordic Nights', 'Bravo Hits', 'Hits of the Year',
  'Chill Out Classics', 'Summer Hits', 'Les Plus Belles Chansons', 'Italo Disco Collection', 'Fado: Grandes Vozes', 'City Pop Selection',
] as const;

export const numberTitles = ['1999', '22', '7 Years', '99 Luftballons', '4 Minutes', 'Summer of 69', '2 Become 1', '1979', '500 Miles', '24K', '3 AM', 'One', 'Two Hearts', 'Seven Nation'] as const;
