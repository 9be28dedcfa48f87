/**
 * Passwords that top every public breach list, compared lower-cased. Short on purpose:
 * it blocks the guesses an online attacker tries first, while the length rule does the rest.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '1234567890', '12345678910', '0123456789', '0987654321', '1111111111', '0000000000',
  '1234512345', '1122334455', '1234554321', '1q2w3e4r5t', '1qaz2wsx3edc', 'qwertyuiop',
  'qwertyuiop1', 'qwerty1234', 'qwerty12345', 'qwerty123456', 'qwertyqwerty', 'asdfghjkl1',
  'asdfghjkl;', 'zxcvbnm123', 'q1w2e3r4t5', 'a1b2c3d4e5', 'password12', 'password123',
  'password1234', 'password!1', 'password01', 'passw0rd123', 'p@ssw0rd123', 'p@ssword123',
  'iloveyou12', 'iloveyou123', 'princess123', 'sunshine123', 'football123', 'baseball123',
  'superman123', 'batman1234', 'starwars123', 'welcome123', 'welcome1234', 'letmein123',
  'trustno1234', 'monkey12345', 'dragon12345', 'master12345', 'shadow12345', 'abc1234567',
  'abcdefghij', 'abcd123456', 'abcdef1234', 'abcdefg123', 'administrator', 'admin12345',
  'admin123456', 'changeme123', 'changeme12', 'computer123', 'internet123', 'whatever123',
  'qazwsxedcrfv', 'zaq12wsxcde', '!qaz2wsx3edc', 'michael123', 'jennifer123', 'jordan2323',
  'charlie123', 'liverpool1', 'chelsea123', 'arsenal123', 'manchester1', 'pokemon123',
  'naruto1234', 'minecraft1', 'minecraft123', 'fortnite123', 'spotify123', 'music12345',
  'musiclover', 'alktunes123', 'passwordpassword', 'pass123456', 'mypassword', 'mypassword1',
  'secret1234', 'secret12345', 'test123456', 'testtest12', 'helloworld', 'helloworld1',
  'hello12345', 'loveyou123', 'ilovemusic', 'iloveyou1234', '11111111111', '123123123123',
  '1234567891', '9876543210', '5555555555', '7777777777', '6969696969', 'asdasdasdasd',
  'qweqweqwe123', 'aaaaaaaaaa', 'qwerty123!', 'q1w2e3r4t5y6',
]);

/** True when the password is one of the well-known ones (case-insensitive). */
export const isCommonPassword = (password: string) => COMMON_PASSWORDS.has(password.toLowerCase());
